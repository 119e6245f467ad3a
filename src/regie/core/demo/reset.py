"""Is there data already, and wiping it for `regie demo --reset`."""

from graphlib import CycleError, TopologicalSorter

from django.apps import apps
from django.db import connection, models

from regie.accounts.models import Area, Team, User
from regie.audit.models import AccessLogEntry
from regie.cases.models import Case
from regie.housing.models import ArrearsSnapshot, Event, Person, Tenancy, Unit
from regie.mandate.models import LimitsVersion, Measure
from regie.network.models import Organisation
from regie.privacy.models import RetentionRun
from regie.signalling.models import ImportRun

# The corporation's own data; anything in Regie's apps that refers to these (an action on a case,
# a referral, a flagged household) is domain data too and goes with them. The import history goes
# too: it describes data that is gone (the report files on disk stay, under DATA_DIR/imports/).
# The network and the mandate's catalogue are the corporation's configuration, but the demo makes
# its own: they go too, or a second demo would find them twice. Retention runs go like the import
# history: they describe what was destroyed of data that is gone.
ROOTS = (
    Area,
    Team,
    Unit,
    Tenancy,
    Person,
    ArrearsSnapshot,
    Event,
    Case,
    ImportRun,
    Organisation,
    Measure,
    LimitsVersion,
    RetentionRun,
)


def demo_users_exist() -> bool:
    return User.objects.filter(is_demo=True).exists()


def data_exists() -> bool:
    return demo_users_exist() or any(model.objects.exists() for model in (Area, Team, Unit, Tenancy, Case))


def _regie_models() -> list[type[models.Model]]:
    return [
        m
        for config in apps.get_app_configs()
        if config.name.startswith("regie.")
        for m in config.get_models()
        if not m._meta.proxy and m._meta.managed and m not in (User, AccessLogEntry)
    ]


def _targets(model) -> set:
    return {
        f.related_model
        for f in model._meta.get_fields()
        if f.concrete and f.is_relation and f.related_model is not None and f.related_model is not model
    }


def _domain_models() -> list[type[models.Model]]:
    """Every model that is, or refers (through any chain) to, the corporation's data, referrers first."""
    candidates = _regie_models()
    refers = {m: _targets(m) for m in candidates}
    domain = set(ROOTS)
    grown = True
    while grown:
        grown = False
        for model, targets in refers.items():
            if model not in domain and targets & domain:
                domain.add(model)
                grown = True
    graph = {m: refers[m] & domain for m in candidates if m in domain}
    try:
        order = list(TopologicalSorter(graph).static_order())  # referred-to models first
    except CycleError:
        order = sorted(graph, key=lambda m: m._meta.label)  # let the cascade sort it out
    return order[::-1]


def wipe() -> dict[str, int]:
    """Delete all domain data, the demo accounts and the access log. Non-demo accounts stay."""
    deleted: dict[str, int] = {}
    for model in _domain_models():
        # A row that protects another row of its own table (a decision and its correction) would
        # block the delete: cut those links first.
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is model and f.null:
                model._base_manager.exclude(**{f.name: None}).update(**{f.name: None})
        # The base manager: a model that refuses bulk deletes to the application is still wiped here.
        deleted[model._meta.label] = model._base_manager.all().delete()[0]
    demo = User.objects.filter(is_demo=True)
    for model in _regie_models():  # whatever else still points at a demo account
        for f in model._meta.get_fields():
            if f.concrete and f.is_relation and f.many_to_one and f.related_model is User:
                model._base_manager.filter(**{f"{f.name}__in": demo}).delete()
    # django-axes keeps failed logins by user name, not by account: the demo's go with the accounts.
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    names = list(demo.values_list("username", flat=True))
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        deleted[model._meta.label] = model.objects.filter(username__in=names).delete()[0]
    deleted["accounts.User"] = demo.delete()[0]
    # The access log refuses deletes by design (it is append-only for the application). A reset
    # is the one place where it is wiped: the log of a throwaway demo describes only the demo's
    # own synthetic records, which are gone, and would otherwise point at ids that get reused.
    # The database's append-only guard is lifted for that moment only (regie.audit.triggers).
    from regie.audit.triggers import empty_throwaway_log

    empty_throwaway_log(connection)
    return deleted

"""Beheer: the functional administrator edits the detection rules; every save is a new version.

Only the functional administrator sees these pages; everyone else gets 404, as for anything else
a user may not see.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from regie.accounts.models import Role
from regie.core.forms import apply_validation_error
from regie.core.paging import paginate
from regie.signalling import rules
from regie.signalling.forms_rules import CODES, GROUPS, MONTHS, SETTINGS, RulesForm, error_fields, get
from regie.signalling.models import DetectionRun, RuleSet
from regie.signalling.services import rules_update


def _require_admin(user) -> None:
    if not user.is_authenticated or user.role != Role.ADMIN:
        raise Http404


def _show(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == CODES:
        return ", ".join(value) if value else "—"
    if kind == MONTHS:
        return number_format(Decimal(str(value)))  # 2,5 in Dutch
    return str(value)


def _same(a, b, kind: str) -> bool:
    if kind == MONTHS and a is not None and b is not None:
        return Decimal(str(a)) == Decimal(str(b))  # "2" and "2.0" are the same band
    return a == b


@dataclass
class Change:
    key: str
    label: str
    old: str
    new: str
    added: list
    removed: list


def rules_diff(old: dict, new: dict) -> list[Change]:
    """The settings that differ between two versions, in the editor's order."""
    changes = []
    for key, (label, kind) in SETTINGS.items():
        a, b = get(old, key), get(new, key)
        if _same(a, b, kind):
            continue
        added = [c for c in b or () if c not in (a or ())] if kind == CODES else []
        removed = [c for c in a or () if c not in (b or ())] if kind == CODES else []
        changes.append(Change(key, str(label), _show(a, kind), _show(b, kind), added, removed))
    return changes


def rules_table(config: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every setting of a version for reading: (group, [(label, value)])."""
    return [
        (str(title), [(str(label), _show(get(config, key), kind)) for key, label, kind in rows])
        for title, rows in GROUPS
    ]


@login_required
def edit(request):
    """The version in force as a form; saving stores the next version."""
    _require_admin(request.user)
    in_force = rules.current()
    form = RulesForm(request.POST if request.method == "POST" else None, config=in_force.config)
    if request.method == "POST" and form.is_valid():
        try:
            new = rules_update(config=form.config(), by=request.user, note=form.cleaned_data["note"])
        except ValidationError as err:
            apply_validation_error(form, error_fields(err))
        else:
            messages.success(request, _("Rules saved as version %(v)s.") % {"v": new.version})
            return redirect("rules:edit")
    history = paginate(RuleSet.objects.select_related("created_by"), request.GET.get("page"), settings.REGIE_PAGE_SIZE)
    last_run = DetectionRun.objects.select_related("rule_set").first()
    return render(
        request,
        "signalling/rules_edit.html",
        {
            "form": form,
            "in_force": in_force,
            "page_obj": history,
            "last_run": last_run,
            "stale": last_run is None or last_run.rule_set_id != in_force.pk,
        },
        status=400 if form.errors else 200,
    )


@login_required
def version(request, version: int):
    """One version read-only, with what changed against the one before it."""
    _require_admin(request.user)
    rule_set = get_object_or_404(RuleSet.objects.select_related("created_by"), version=version)
    previous = (
        RuleSet.objects.filter(version__lt=rule_set.version).select_related("created_by").order_by("-version").first()
    )
    in_force = rules.current()
    return render(
        request,
        "signalling/rules_version.html",
        {
            "rule_set": rule_set,
            "previous": previous,
            "in_force": in_force,
            "next_version": RuleSet.objects.filter(version__gt=rule_set.version).order_by("version").first(),
            "changes": rules_diff(previous.config, rule_set.config) if previous else None,
            "table": rules_table(rule_set.config),
        },
    )

"""The municipality signal (vroegsignalering, Wgs): marking ready tenancies as sent, recording the
municipality's answer, exporting the signal records, and the collection pause that follows.

Who is ready is `wgs.ready`'s to say (DETECTION.md, "The municipality signal"); these services
re-check it inside their transaction, so a list that went stale while it was open can't send a
household twice. Each write names its actor in the access log, in the same transaction.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regie.accounts.models import Department, Role, User
from regie.audit.models import Action
from regie.audit.services import access_record
from regie.core.vera import HouseholdRole
from regie.core.workflow import Workflow
from regie.housing.models import Person, Tenancy
from regie.signalling import rules, wgs
from regie.signalling.models import MunicipalitySignal

S = MunicipalitySignal.Status

# The municipality answers once; an answer is final (a new run of arrears gets a new signal).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SENT: (S.ACCEPTED, S.REFUSED, S.NO_CONTACT),
    S.ACCEPTED: (),
    S.REFUSED: (),
    S.NO_CONTACT: (),
}
ANSWERS = (S.ACCEPTED, S.REFUSED, S.NO_CONTACT)

# The people whose data the signal carries: the tenants, not the others living with them.
SIGNALLED_ROLES = (HouseholdRole.TENANT, HouseholdRole.CO_TENANT)

DEFAULT_PAUSE_DAYS = 30


def may_use(user) -> bool:
    """Collections and managers work with the municipality signal (managers read and export)."""
    return user.is_authenticated and (user.role == Role.MANAGER or may_send(user))


def area_scope(user) -> set[int] | None:
    """Which areas' municipality signals the user works with: collections serve the whole
    corporation (None: all); a manager only his teams' areas (need to know)."""
    if user.role == Role.MANAGER:
        from regie.housing.selectors import area_ids_of

        return set(area_ids_of(user))
    return None


def in_scope(user, tenancy_pks) -> set[int]:
    """Of these tenancies, the ones in the user's scope (`area_scope`)."""
    pks = set(tenancy_pks)
    areas = area_scope(user)
    if areas is None or not pks:
        return pks
    return set(Tenancy.objects.filter(pk__in=pks, unit__area_id__in=areas).values_list("pk", flat=True))


def may_send(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.DEPARTMENT
        and user.department == Department.COLLECTIONS
    )


def _check_sender(by: User) -> None:
    if not may_send(by):
        raise ValidationError(_("Only a colleague of the collections department can send or answer signals."))


def _day(d: date) -> str:
    return date_format(d, "SHORT_DATE_FORMAT")


@transaction.atomic
def wgs_send(*, tenancy_pks, as_of: date, by: User) -> list[MunicipalitySignal]:
    """Mark the chosen ready tenancies as signalled to the municipality on `as_of`.

    All or nothing: when one of them is no longer ready (signalled meanwhile by a colleague, or its
    conditions changed) nothing is marked and the message names the ones to take off the list.
    """
    _check_sender(by)
    pks = sorted({int(pk) for pk in tenancy_pks})
    if not pks:
        raise ValidationError({"tenancy": _("Choose at least one household that is ready to signal.")})
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("The reference date can't be in the future.")})
    # Lock the tenancies first: two colleagues sending the same household wait for each other, and
    # the second then finds it signalled (condition 5) instead of tripping over the constraint.
    locked = list(Tenancy.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk", "tenancy_id"))
    ready = {row.tenancy_pk: row for row in wgs.ready(as_of=as_of, config=rules.current().config)}
    stale = sorted(tid for pk, tid in locked if pk not in ready) + [
        str(pk) for pk in set(pks) - {p for p, _t in locked}
    ]
    if stale:
        raise ValidationError(
            {
                "tenancy": _(
                    "Not ready to signal any more (already signalled, or the conditions changed): %(ids)s. "
                    "Nothing was marked as sent; reload the list and choose again."
                )
                % {"ids": ", ".join(stale)}
            }
        )
    signals = []
    for pk in pks:
        row = ready[pk]
        signal = MunicipalitySignal(
            tenancy_id=pk,
            arrears_since=row.arrears_since,
            arrears_amount=row.arrears_amount,
            as_of=as_of,
            sent_by=by,
        )
        signal.full_clean(exclude=["tenancy", "sent_by"])
        try:
            with transaction.atomic():
                signal.save()
        except IntegrityError as err:
            raise ValidationError(
                {"tenancy": _("%(id)s was signalled for this run of arrears already.") % {"id": row.tenancy_id}}
            ) from err
        signals.append(signal)
    access_record(user=by, action=Action.CREATE, record_type="household", record_ids=pks)
    return signals


ANSWER_FLOW = Workflow(
    S,
    TRANSITIONS,
    refused=gettext_lazy("A signal can't go from “%(from)s” to “%(to)s”. Allowed: %(allowed)s."),
    none_allowed=gettext_lazy("none, the answer is final"),
)
allowed_answers = ANSWER_FLOW.allowed_next
check_answer = ANSWER_FLOW.check


def pause_days(config: dict | None = None) -> int:
    config = config if config is not None else rules.current().config
    return int((config.get("wgs") or {}).get("pause_days") or DEFAULT_PAUSE_DAYS)


@transaction.atomic
def wgs_answer(*, signal: MunicipalitySignal, status: str, by: User, answered_on: date | None = None):
    """Record the municipality's answer; help accepted pauses collection for the rules' pause days."""
    _check_sender(by)
    locked = MunicipalitySignal.objects.select_for_update().get(pk=signal.pk)
    check_answer(locked.status, status)
    today = timezone.localdate()
    answered_on = answered_on or today
    if answered_on > today:
        raise ValidationError({"answered_on": _("The answer can't be dated in the future.")})
    sent_on = timezone.localdate(locked.sent_at)
    if answered_on < sent_on:
        raise ValidationError(
            {"answered_on": _("The answer can't be dated before the signal was sent (%(d)s).") % {"d": _day(sent_on)}}
        )
    locked.status = status
    locked.answered_by = by
    locked.answered_at = (
        timezone.now()
        if answered_on == today
        else timezone.make_aware(datetime.combine(answered_on, time(12)), timezone.get_current_timezone())
    )
    locked.pause_until = answered_on + timedelta(days=pause_days()) if status == S.ACCEPTED else None
    locked.full_clean(exclude=["tenancy", "sent_by", "answered_by"])
    locked.save(update_fields=["status", "answered_by", "answered_at", "pause_until"])
    access_record(user=by, action=Action.UPDATE, record_type="household", record_ids=[locked.tenancy_id])
    for name in ("status", "answered_by", "answered_at", "pause_until"):
        setattr(signal, name, getattr(locked, name))
    return locked


def active_pause(tenancy: Tenancy, on: date | None = None) -> MunicipalitySignal | None:
    """The accepted signal whose collection pause runs on `on` (today), for the household and case pages."""
    return (
        MunicipalitySignal.objects.filter(
            tenancy=tenancy, status=S.ACCEPTED, pause_until__gte=on or timezone.localdate()
        )
        .order_by("-pause_until", "-pk")
        .first()
    )


# The export: what the law allows the municipality to receive (Besluit gemeentelijke
# schuldhulpverlening), one row per tenant in CSV. docs/municipality-signal.md is the contract.
CSV_COLUMNS = (
    "reference",
    "arrears_amount",
    "arrears_since",
    "first_name",
    "name_prefix",
    "last_name",
    "birth_date",
    "phone",
    "email",
    "street",
    "house_number",
    "house_number_suffix",
    "postcode",
    "city",
    "corporation_contact",
)
TENANT_FIELDS = ("first_name", "name_prefix", "last_name", "birth_date", "phone", "email")
ADDRESS_FIELDS = ("street", "house_number", "house_number_suffix", "postcode", "city")


@dataclass
class SignalRecord:
    tenancy_pk: int
    reference: str
    arrears_amount: Decimal
    arrears_since: date
    address: dict
    tenants: list[dict] = field(default_factory=list)


def corporation_contact() -> str:
    return getattr(settings, "REGIE_CORPORATION_CONTACT", "")


def _records(rows: list[tuple[int, str, Decimal, date]]) -> list[SignalRecord]:
    """rows: (tenancy pk, reference, amount, since) → records with the address and the tenants."""
    tenants = Prefetch(
        "persons",
        queryset=Person.objects.filter(role__in=SIGNALLED_ROLES).order_by("role", "last_name", "first_name", "pk"),
        to_attr="tenants",
    )
    tenancies = Tenancy.objects.select_related("unit").prefetch_related(tenants).in_bulk([r[0] for r in rows])
    records = []
    for pk, reference, amount, since in rows:
        tenancy = tenancies[pk]
        unit = tenancy.unit
        records.append(
            SignalRecord(
                tenancy_pk=pk,
                reference=reference,
                arrears_amount=amount,
                arrears_since=since,
                address={
                    "street": unit.street,
                    "house_number": unit.house_number,
                    "house_number_suffix": unit.house_number_suffix,
                    "postcode": unit.postcode,
                    "city": unit.city,
                },
                tenants=[
                    {
                        "first_name": p.first_name,
                        "name_prefix": p.name_prefix,
                        "last_name": p.last_name,
                        "birth_date": p.birth_date,
                        "phone": p.phone,
                        "email": p.email,
                    }
                    for p in tenancy.tenants
                ],
            )
        )
    return records


def sent_on(day: date):
    """The signals sent on one (local) day."""
    start = timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())
    return MunicipalitySignal.objects.filter(sent_at__gte=start, sent_at__lt=start + timedelta(days=1))


@transaction.atomic
def wgs_export(*, source: str, day: date, by: User) -> list[SignalRecord]:
    """The signal records of the tenancies ready on `day` ("ready") or of the signals sent that day
    ("sent"), logged as an export of each household."""
    if not may_use(by):
        raise ValidationError(_("Only collections and managers may export municipality signals."))
    if source == "ready":
        rows = [
            (r.tenancy_pk, "", r.arrears_amount, r.arrears_since)
            for r in wgs.ready(as_of=day, config=rules.current().config)
        ]
    elif source == "sent":
        rows = [
            (s.tenancy_id, str(s.pk), s.arrears_amount, s.arrears_since)
            for s in sent_on(day).order_by("tenancy__tenancy_id", "pk")
        ]
    else:
        raise ValidationError({"source": _("Choose the ready households or the signals sent on a day.")})
    scope = in_scope(by, [row[0] for row in rows])
    records = _records([row for row in rows if row[0] in scope])
    access_record(user=by, action=Action.EXPORT, record_type="household", record_ids=[r.tenancy_pk for r in records])
    return records


def csv_rows(records: list[SignalRecord], contact: str) -> list[dict]:
    """One row per tenant (a household without a known tenant still gets its row)."""
    out = []
    for r in records:
        for tenant in r.tenants or [dict.fromkeys(TENANT_FIELDS, "")]:
            out.append(
                {
                    "reference": r.reference,
                    "arrears_amount": f"{r.arrears_amount:.2f}",
                    "arrears_since": r.arrears_since.isoformat(),
                    **{k: _text(tenant[k]) for k in TENANT_FIELDS},
                    **{k: _text(r.address[k]) for k in ADDRESS_FIELDS},
                    "corporation_contact": contact,
                }
            )
    return out


def json_document(records: list[SignalRecord], *, source: str, day: date, contact: str) -> dict:
    return {
        "source": source,
        "date": day.isoformat(),
        "corporation_contact": contact,
        "signals": [
            {
                "reference": r.reference,
                "arrears_amount": f"{r.arrears_amount:.2f}",
                "arrears_since": r.arrears_since.isoformat(),
                "address": r.address,
                # JSON keeps "unknown" apart from "empty": a missing birth date is null.
                "tenants": [
                    {**t, "birth_date": t["birth_date"].isoformat() if t["birth_date"] else None} for t in r.tenants
                ],
            }
            for r in records
        ],
    }


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)

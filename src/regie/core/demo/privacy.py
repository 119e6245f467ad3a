"""The privacy officer's demo material, made through the privacy and audit services at moments in
the demo's past, so his pages show what a few weeks of real use leave behind:

- the register of subject requests (AVG art. 15-21): an access request in its first days, one past
  its deadline, an erasure being handled (which holds the household), a rectification closed;
- a hold for a legal procedure on the household of a closed case;
- the closed cases archived as the nightly run does it, and one dry run of the retention;
- in the access log: two emergency overrides (noodknop) across the teams, a night of reads, and
  a day on which one user read many households outside her own work;
- a user locked out after five wrong passwords (django-axes' rows).

Every access-log entry is written by the services inside `logged_at(moment)`, which dates it; the
chain is sealed at the end so `regie audit-verify` passes. Nothing lies after the demo's "now"
(as-of minus one day), no e-mail goes out. The privacy officer's own writes are logged too.
"""

import random
from datetime import date, datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.utils import timezone, translation

from regie.accounts.models import User
from regie.audit import chain, emergency
from regie.audit.models import Action as LogAction
from regie.audit.services import access_record
from regie.cases.models import Case, Status
from regie.cases.selectors import cases_visible_to
from regie.core.demo.clock import at_time, logged_at
from regie.core.demo.clock import office_moment as _moment
from regie.core.vera import HouseholdRole
from regie.housing.models import ArrearsSnapshot, Person, Tenancy
from regie.privacy import retention, services
from regie.privacy.models import (
    Hold,
    HoldKind,
    HoldTarget,
    RecordKind,
    RequestKind,
    RequestStatus,
    RetentionRun,
    SubjectRequest,
)

ADULTS = (HouseholdRole.TENANT, HouseholdRole.CO_TENANT)
BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# As django-axes stores a form: every value masked (AXES_SENSITIVE_PARAMETERS), never a password.
MASKED_FORM = "username=********************\npassword=********************"

PROCEDURE_REASON = (
    "Juridische zaken: ontruimingsprocedure wegens huurachterstand loopt bij de kantonrechter. "
    "Dossier bewaren tot de uitspraak onherroepelijk is."
)
RECTIFICATION_OUTCOME = (
    "Telefoonnummer en e-mailadres van de huurder waren verouderd; gecorrigeerd in het bronsysteem en "
    "bij de volgende import overgenomen. Bevestiging per brief verstuurd."
)
# (user, reason) per override: a professional of one team, on a case of the other team.
OVERRIDES = (
    (
        "demo-noord-2",
        "Brandweer belt 's avonds: rookmelder gaat af, bewoner reageert niet. Regisseur van team Zuid is "
        "niet bereikbaar; ik zoek de contactpersoon en de aandachtspunten uit het plan op.",
    ),
    (
        "demo-zuid-2",
        "Huurder staat aan de balie in Zuid met een deurwaardersbrief van vandaag; de regisseur in Noord is "
        "met verlof en de afspraken in het plan zijn nodig om nu te kunnen helpen.",
    ),
)


def _weekday(day: date) -> date:
    """Office work on a weekend day moves back to the Friday before."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def _ip(rng: random.Random) -> str:
    return f"10.20.{rng.randint(1, 30)}.{rng.randint(2, 250)}"


def _one_per_household(cases) -> list[Case]:
    seen: set[int] = set()
    out = []
    for case in cases:
        if case.household_id not in seen:
            seen.add(case.household_id)
            out.append(case)
    return out


def _pick_households(rng: random.Random) -> tuple[list[Case], list[Case]]:
    """Closed cases whose household has no open case, and open cases of running tenancies; one
    case per household, in a random order."""
    open_households = set(Case.objects.open().values_list("household_id", flat=True))
    closed = _one_per_household(
        c for c in Case.objects.filter(status=Status.CLOSED).order_by("pk") if c.household_id not in open_households
    )
    opened = _one_per_household(Case.objects.open().filter(household__end_date__isnull=True).order_by("pk"))
    rng.shuffle(closed)
    rng.shuffle(opened)
    return closed, opened


def _adult(rng: random.Random, household_id: int, role: str | None = None) -> Person | None:
    people = list(Person.objects.filter(tenancy_id=household_id, role__in=ADULTS).order_by("pk"))
    wanted = [p for p in people if p.role == role] or people
    return rng.choice(wanted) if wanted else None


def _register(rng, *, kind, received: date, person, reference, by, steps=()) -> SubjectRequest | None:
    """A request through the services: received on `received`, then each (days later, status, outcome)."""
    if person is None:
        return None
    moment = _moment(received, rng)
    with logged_at(moment, ip_address=_ip(rng)):
        request = services.request_create(kind=kind, received_on=received, by=by, person=person, reference=reference)
    SubjectRequest.objects.filter(pk=request.pk).update(created_at=moment)
    request.holds.update(placed_at=moment)
    for days, status, outcome in steps:
        day = _weekday(received + timedelta(days=days))
        with logged_at(_moment(day, rng), ip_address=_ip(rng)):
            request = services.request_transition(request=request, to_status=status, by=by, outcome=outcome)
        if not request.is_open:
            SubjectRequest.objects.filter(pk=request.pk).update(closed_on=day)
    return request


def _requests(rng, *, today: date, by: User, closed: list[Case], opened: list[Case]) -> dict[int, datetime]:
    """The register; returns the moment each held household was put on hold."""
    held: dict[int, datetime] = {}
    if len(opened) >= 3:
        _register(
            rng,
            kind=RequestKind.RECTIFICATION,
            received=_weekday(today - timedelta(days=58)),
            person=_adult(rng, opened[2].household_id),
            reference="Webformulier privacyverzoek",
            by=by,
            steps=[(3, RequestStatus.IN_PROGRESS, ""), (11, RequestStatus.GRANTED, RECTIFICATION_OUTCOME)],
        )
    if len(opened) >= 2:
        # Taken into handling, but the answer is late: past the one-month deadline.
        _register(
            rng,
            kind=RequestKind.ACCESS,
            received=_weekday(today - timedelta(days=41)),
            person=_adult(rng, opened[1].household_id, HouseholdRole.CO_TENANT),
            reference="Brief, ontvangen via het klantcontactcentrum",
            by=by,
            steps=[(5, RequestStatus.IN_PROGRESS, "")],
        )
    if closed:
        # An erasure of a household whose help has ended: the request holds the household while it runs.
        request = _register(
            rng,
            kind=RequestKind.ERASURE,
            received=_weekday(today - timedelta(days=16)),
            person=_adult(rng, closed[0].household_id, HouseholdRole.TENANT),
            reference="E-mail aan de privacymailbox, onderwerp 'verwijderen gegevens'",
            by=by,
            steps=[(2, RequestStatus.IN_PROGRESS, "")],
        )
        hold = request.holds.first() if request else None
        if hold is not None:
            held[closed[0].household_id] = hold.placed_at
    if opened:
        _register(
            rng,
            kind=RequestKind.ACCESS,
            received=_weekday(today - timedelta(days=10)),
            person=_adult(rng, opened[0].household_id, HouseholdRole.TENANT),
            reference="E-mail aan de privacymailbox, onderwerp 'inzage dossier'",
            by=by,
        )
    if len(closed) >= 2:
        household = closed[1].household_id
        moment = _moment(_weekday(today - timedelta(days=30)), rng)
        with logged_at(moment, ip_address=_ip(rng)):
            hold = services.hold_place(
                target=HoldTarget.HOUSEHOLD,
                record_id=household,
                kind=HoldKind.PROCEDURE,
                reason=PROCEDURE_REASON,
                by=by,
            )
        Hold.objects.filter(pk=hold.pk).update(placed_at=moment)
        held[household] = moment
    return held


def _archive(*, now: datetime, held: dict[int, datetime]) -> int:
    """The closed cases to the archive, each by the night's run after it closed; a case whose
    household was put on hold later goes to GEB by the run of the night after that."""
    rule = retention.rules().get(RecordKind.CASE_FILE)
    holds = retention.HoldIndex.build()
    archived = 0
    for case in Case.objects.filter(status=Status.CLOSED, closed_at__isnull=False).order_by("closed_at", "pk"):
        night = at_time(timezone.localtime(case.closed_at).date() + timedelta(days=1), 3, 30)
        if night > now:
            continue  # closed today: tonight's run archives it
        status = holds.for_case(case.pk, case.household_id)
        placed = held.get(case.household_id)
        later = status is not None and placed is not None and placed > night
        with logged_at(night, channel="cli"):
            retention.case_archive(case=case, rule=rule, hold_status=None if later else status)
        if later:
            hold_night = at_time(timezone.localtime(placed).date() + timedelta(days=1), 3, 30)
            with logged_at(min(hold_night, now), channel="cli"):
                retention.case_archive(case=case, rule=rule, hold_status=status)
        archived += 1
    return archived


def _dry_run(*, today: date) -> RetentionRun:
    """The privacy officer looks at what tonight's run would destroy (`regie retention --dry-run`)."""
    started = at_time(today, 9, 40)
    run = retention.retention_run(as_of=today, dry_run=True)
    RetentionRun.objects.filter(pk=run.pk).update(started_at=started, finished_at=started + timedelta(seconds=4))
    return run


def _overrides(rng, *, today: date, users: dict[str, User]) -> int:
    """Emergency overrides across the teams, each followed by a few reads under it."""
    made = 0
    days = (today - timedelta(days=3), _weekday(today - timedelta(days=1)))
    hours = ((19, 40), (rng.randint(9, 11), rng.choice((5, 20, 35))))
    for (username, reason), day, (hour, minute) in zip(OVERRIDES, days, hours, strict=True):
        user = users.get(username)
        if user is None:
            continue
        others = list(
            Case.objects.open()
            .exclude(team__in=user.teams.all())
            .exclude(pk__in=cases_visible_to(user).values("pk"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not others:
            continue
        moment, ip = at_time(day, hour, minute), _ip(rng)
        with logged_at(moment, ip_address=ip):
            grant = emergency.emergency_request(user=user, case_id=rng.choice(others), reason=reason)
        if grant is None:
            continue
        made += 1
        for _ in range(rng.randint(2, 3)):
            moment += timedelta(minutes=rng.randint(2, 12))
            with logged_at(moment, ip_address=ip):
                emergency.enter_emergency(grant)
                access_record(user=user, action=LogAction.READ, record_type="case", record_ids=[grant.case_id])
    return made


def _night_reads(rng, *, today: date, user: User | None) -> int:
    """A director reading his own cases late in the evening: allowed, but flagged for a look."""
    if user is None:
        return 0
    own = list(cases_visible_to(user).order_by("pk").values_list("pk", flat=True))
    if not own:
        return 0
    moment, ip, reads = at_time(today - timedelta(days=2), 23, rng.randint(2, 9)), _ip(rng), 0
    for case_id in rng.sample(own, min(len(own), rng.randint(5, 7))):
        with logged_at(moment, ip_address=ip):
            access_record(user=user, action=LogAction.READ, record_type="case", record_ids=[case_id])
        reads += 1
        moment += timedelta(minutes=rng.randint(3, 6))
    return reads


def _wide_reads(rng, *, today: date, user: User | None) -> int:
    """One working day on which a collections officer opens many households one by one: more than
    the threshold of reads outside one's own cases and area (REGIE_UNUSUAL_READS)."""
    if user is None:
        return 0
    count = getattr(settings, "REGIE_UNUSUAL_READS", 20) + rng.randint(4, 9)
    in_arrears = list(
        ArrearsSnapshot.objects.filter(date=today.replace(day=1), balance__gt=0, tenancy__end_date__isnull=True)
        .order_by("tenancy_id")
        .values_list("tenancy_id", flat=True)
        .distinct()
    )
    running = list(Tenancy.objects.filter(end_date__isnull=True).order_by("pk").values_list("pk", flat=True))
    pool = in_arrears if len(in_arrears) >= count else running
    households = rng.sample(pool, min(count, len(pool)))
    day, ip = _weekday(today - timedelta(days=2)), _ip(rng)
    moment = at_time(day, 9, rng.randint(0, 20))
    step = (6 * 60) // max(1, len(households))
    for household in households:
        with logged_at(moment, ip_address=ip):
            access_record(user=user, action=LogAction.READ, record_type="household", record_ids=[household])
        moment += timedelta(minutes=rng.randint(max(1, step - 5), step + 5))
    return len(households)


def _failed_logins(rng, *, today: date, username: str) -> int:
    """Five wrong passwords in a row from one address: the fifth locks the account out there."""
    ip = _ip(rng)
    moment = at_time(_weekday(today - timedelta(days=1)), 8, rng.randint(30, 50))
    moments = []
    for _ in range(settings.AXES_FAILURE_LIMIT):
        moment += timedelta(seconds=rng.randint(15, 70))
        moments.append(moment)
    common = {"user_agent": BROWSER, "ip_address": ip, "username": username, "http_accept": ACCEPT}
    # django-axes stamps attempt_time itself (auto_now_add): dated back afterwards, as elsewhere.
    for i, moment in enumerate(moments):
        failure = AccessFailureLog.objects.create(**common, path_info="/inloggen/", locked_out=i == len(moments) - 1)
        AccessFailureLog.objects.filter(pk=failure.pk).update(attempt_time=moment)
    attempt = AccessAttempt.objects.create(
        **common,
        path_info="/inloggen/",
        get_data="",
        post_data="\n---------\n".join([MASKED_FORM] * len(moments)),
        failures_since_start=len(moments),
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=moments[-1])
    return len(moments)


def build_privacy(*, rng: random.Random, as_of: date, users: dict[str, User]) -> dict[str, int]:
    """Fill the privacy officer's pages; call after every other builder (it seals the access log)."""
    today = as_of - timedelta(days=1)  # the demo's "now" is the day before as-of
    now = at_time(today, 17, 0)
    officer = users["demo-privacy"]
    closed, opened = _pick_households(rng)
    # Texts that the services write (a hold's reason) in the corporation's language.
    with translation.override(settings.LANGUAGE_CODE):
        held = _requests(rng, today=today, by=officer, closed=closed, opened=opened)
        archived = _archive(now=now, held=held)
        _dry_run(today=today)
        overrides = _overrides(rng, today=today, users=users)
        night = _night_reads(rng, today=today, user=users.get("demo-regisseur2"))
        wide = _wide_reads(rng, today=today, user=users.get("demo-incasso"))
        failures = _failed_logins(rng, today=today, username="demo-collega")
    # Every entry so far gets its place in the chain: the log verifies, and nothing waits for a worker.
    chain.log_seal()
    return {
        "subject requests": SubjectRequest.objects.count(),
        "holds": Hold.objects.active().count(),
        "archived cases": archived,
        "emergency accesses": overrides,
        "night reads": night,
        "wide reads": wide,
        "failed logins": failures,
    }

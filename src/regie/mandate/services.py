"""Every write of the mandate: decisions in a case and their approval, the catalogue, the limits
and the budgets. One transaction each, with its timeline entry and access-log record.

The flow of a decision is an explicit transition table (`TRANSITIONS`): recorded within the
mandate it is in effect at once; beyond it, it waits for the level it needs, which approves,
declines, asks a question (the director replies) or, a manager, passes it to the board. A decision
in effect, declined or withdrawn is never changed again, except what is spent of a budget decision;
a correction is a new decision that refers to the old one, which stays on record.

Timeline entries are `EntryKind.DECISION` with data {change, decision, measure, status} (plus
`answer`, `level`, `action`, `amount` where they apply); `change` is one of "recorded",
"approve", "decline", "question", "reply", "escalate", "withdrawn", "spent".
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.models import Department, Team, User
from regie.audit.models import Action as LogAction
from regie.audit.services import access_record
from regie.cases.models import Case, EntryKind, TimelineEntry
from regie.mandate import notify
from regie.mandate.models import LEVEL_ORDER, Approval, Budget, Decision, Level, Limit, LimitsVersion, Measure
from regie.mandate.rules import covers, level_of, may_approve
from regie.plans.models import Goal, ZrmDomain

S = Decision.Status
A = Approval.Answer
# Which answer moves a decision from which status to which.
TRANSITIONS: dict[str, dict[str, str]] = {
    S.PENDING: {A.APPROVE: S.EFFECTIVE, A.DECLINE: S.DECLINED, A.QUESTION: S.QUESTION, A.ESCALATE: S.PENDING},
    S.QUESTION: {A.REPLY: S.PENDING},
}
# A decision in one of these is history: only `spent` of a budget decision still changes.
FINAL = (S.EFFECTIVE, S.DECLINED, S.WITHDRAWN)
# Domains of the goal a department's action lands under.
FINANCE_DEPARTMENTS = (Department.COLLECTIONS, Department.LEGAL)
# The goal is plan text in the corporation's language (the tenant signs the plan), not interface.
GOAL_PREFIX = "Besluit: "
MEASURE_FIELDS = (
    "code",
    "name",
    "description",
    "parameter",
    "vera_code",
    "department",
    "uses_budget",
    "deviates_from_procedure",
    "is_active",
)
CENT = Decimal("0.01")


def _log(case_id: int, by: User, action: str = LogAction.UPDATE) -> None:
    access_record(user=by, action=action, record_type="case", record_ids=[case_id])


def _entry(decision: Decision, change: str, by: User, *, text: str = "", **data) -> TimelineEntry:
    return TimelineEntry.objects.create(
        case_id=decision.case_id,
        kind=EntryKind.DECISION,
        actor=by,
        at=timezone.now(),
        text=text,
        data={
            "change": change,
            "decision": decision.pk,
            "measure": decision.measure.name,
            "status": decision.status,
            **data,
        },
    )


# -- reading the limits ------------------------------------------------------------------------


def limits_in_force() -> LimitsVersion | None:
    return LimitsVersion.objects.order_by("-version").first()


def budget_left(budget: Budget) -> Decimal:
    """The budget less what its decisions in effect commit (a corrected decision counts no more)."""
    from regie.mandate.selectors import committed_of

    return budget.amount - committed_of(budget)


def _level_from_limits(measure: Measure, value: Decimal | None, version: LimitsVersion | None) -> str:
    if version is None:
        return Level.BOARD
    rows = {limit.level: limit.max_value for limit in Limit.objects.filter(version=version, measure=measure)}
    bounded = measure.parameter in (Measure.Parameter.AMOUNT, Measure.Parameter.MONTHS)
    for level in LEVEL_ORDER:
        if level not in rows:
            continue
        ceiling = rows[level]
        if ceiling is None or not bounded or (value is not None and value <= ceiling):
            return level
    return Level.BOARD


def _required_level(
    *, measure: Measure, value, team: Team, year: int, version: LimitsVersion | None, freed: Decimal = Decimal(0)
) -> str:
    level = _level_from_limits(measure, value, version)
    if measure.uses_budget and value is not None:
        budget = Budget.objects.filter(team=team, year=year).first()
        left = (budget_left(budget) if budget else Decimal(0)) + freed
        if value > left and LEVEL_ORDER.index(level) < LEVEL_ORDER.index(Level.MANAGER):
            level = Level.MANAGER
    return level


def required_level(*, measure: Measure, value, team: Team, year: int, decider: User | None = None) -> str:
    """The lowest level whose limit (in the version in force) allows `value`; a level with no limit
    row can't decide it alone; no level allows it: the board. A budget measure above what is left
    of the team's budget for the year needs at least the manager, whatever the limits say.

    The level is a fact of the measure, the value and the budget; whether the `decider` covers it
    is `covers(level_of(decider), level)` (a manager covers MANAGER, the board everything)."""
    value = None if value is None else Decimal(value)
    return _required_level(measure=measure, value=value, team=team, year=year, version=limits_in_force())


# -- checking a decision ----------------------------------------------------------------------


def _clean_value(measure: Measure, value, on_date) -> tuple[Decimal | None, date | None, dict]:
    errors: dict[str, str] = {}
    kind = measure.parameter
    if kind in (Measure.Parameter.AMOUNT, Measure.Parameter.MONTHS):
        if value in (None, ""):
            errors["value"] = (
                _("Fill in the amount.") if kind == Measure.Parameter.AMOUNT else _("Fill in the number of months.")
            )
        else:
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite() or value <= 0:
                errors["value"] = _("Fill in a number above zero.")
            elif kind == Measure.Parameter.MONTHS and value != value.to_integral_value():
                errors["value"] = _("Fill in whole months.")
            elif kind == Measure.Parameter.AMOUNT and value != value.quantize(CENT):
                errors["value"] = _("An amount has at most two decimals (cents).")
            elif value >= Decimal("1e9"):
                errors["value"] = _("This number is too large.")
        if on_date is not None:
            errors["on_date"] = _("This measure has no date.")
    elif kind == Measure.Parameter.DATE:
        if on_date is None:
            errors["on_date"] = _("Fill in the date.")
        elif not isinstance(on_date, date):
            errors["on_date"] = _("Fill in a valid date.")
        if value not in (None, ""):
            errors["value"] = _("This measure has a date, not an amount or months.")
        value = None
    else:
        if value not in (None, ""):
            errors["value"] = _("This measure has no amount or months.")
        if on_date is not None:
            errors["on_date"] = _("This measure has no date.")
        value = None
    return value, on_date, errors


def _clean_texts(measure: Measure, problem: str, justification: str, expected_effect: str, deviates_from: str):
    texts = {
        "problem": problem.strip(),
        "justification": justification.strip(),
        "expected_effect": expected_effect.strip(),
        "deviates_from": deviates_from.strip(),
    }
    errors = {}
    if not texts["problem"]:
        errors["problem"] = _("Describe the problem this decision solves.")
    if not texts["justification"]:
        errors["justification"] = _("Justify the decision: why this, and why here.")
    if not texts["expected_effect"]:
        errors["expected_effect"] = _("Say what effect you expect.")
    if measure.deviates_from_procedure and not texts["deviates_from"]:
        errors["deviates_from"] = _("Name the standard procedure this decision departs from.")
    return texts, errors


def _superseded_value(corrects: Decision | None, budget: Budget | None) -> Decimal:
    """What a correction frees of the budget: the old decision's value, once the new one replaces it."""
    if corrects is None or budget is None or corrects.budget_id != budget.pk or corrects.status != S.EFFECTIVE:
        return Decimal(0)
    return corrects.value or Decimal(0)


# -- decisions --------------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    case: Case,
    measure: Measure,
    value=None,
    on_date: date | None = None,
    problem: str,
    justification: str,
    expected_effect: str,
    deviates_from: str = "",
    by: User,
    corrects: Decision | None = None,
) -> Decision:
    """Record a decision in a case. Within the decider's mandate it is in effect at once (and a
    department's measure lands on its worklist); beyond it, it waits for whoever may approve it,
    who is told by e-mail."""
    if not by.has_perm("cases.manage_case", case):
        raise PermissionDenied(_("Only the case's director or his manager records decisions in it."))
    if not case.is_open:
        raise ValidationError(_("This case is closed; re-open it to record a decision."))
    errors: dict[str, str] = {}
    if not measure.is_active:
        errors["measure"] = _("This measure is no longer in the catalogue.")
    value, on_date, value_errors = _clean_value(measure, value, on_date)
    errors |= value_errors
    texts, text_errors = _clean_texts(measure, problem, justification, expected_effect, deviates_from)
    errors |= text_errors
    if corrects is not None:
        if corrects.case_id != case.pk:
            errors["corrects"] = _("A correction refers to a decision of the same case.")
        elif corrects.status != S.EFFECTIVE:
            errors["corrects"] = _(
                "Only a decision in effect is corrected; withdraw a decision that still waits, and record it anew."
            )
    version = limits_in_force()
    if version is None:
        errors["measure"] = _("No limits are set yet; the functional administrator sets them first.")
    budget = None
    year = timezone.localdate().year
    if measure.uses_budget and not errors:
        budget = Budget.objects.select_for_update().filter(team=case.team_id, year=year).first()
        if budget is None:
            errors["measure"] = _(
                "%(team)s has no custom budget for %(year)s; ask the functional administrator to set it first."
            ) % {"team": case.team, "year": year}
    if errors:
        raise ValidationError(errors)
    level = _required_level(
        measure=measure,
        value=value,
        team=case.team,
        year=year,
        version=version,
        freed=_superseded_value(corrects, budget),
    )
    now = timezone.now()
    within = covers(level_of(by), level)
    decision = Decision(
        case=case,
        measure=measure,
        limits_version=version,
        value=value,
        on_date=on_date,
        status=S.EFFECTIVE if within else S.PENDING,
        required_level=level,
        decided_by=by,
        created_at=now,
        effective_at=now if within else None,
        corrects=corrects,
        budget=budget,
        **texts,
    )
    decision.full_clean(exclude=["case", "measure", "limits_version", "decided_by", "corrects", "budget"])
    decision.save()
    action = _take_effect(decision, by) if within else None
    extra = {"action": action.pk} if action else {}
    if corrects is not None:
        extra["corrects"] = corrects.pk
    _entry(decision, "recorded", by, text=decision.justification, level=level, **extra)
    _log(case.pk, by, LogAction.CREATE)
    if not within:
        notify.request_approval(decision)
    return decision


def _goal_for(decision: Decision, by: User) -> Goal:
    from regie.plans.services import goal_add

    text = GOAL_PREFIX + decision.measure.name
    goal = Goal.objects.filter(case=decision.case_id, text=text, status=Goal.Status.OPEN).order_by("pk").first()
    if goal is not None:
        return goal
    domain = ZrmDomain.FINANCES if decision.measure.department in FINANCE_DEPARTMENTS else ZrmDomain.HOUSING
    return goal_add(case=decision.case, domain=domain, text=text, by=by)


def describe(decision: Decision) -> str:
    """The measure with its value or date, in words (for the department's action and the pages)."""
    kind = decision.measure.parameter
    name = decision.measure.name
    if kind == Measure.Parameter.AMOUNT and decision.value is not None:
        from regie.core.templatetags.regie import euro

        return f"{name}: {euro(decision.value)}"
    if kind == Measure.Parameter.MONTHS and decision.value is not None:
        months = int(decision.value)
        return f"{name}: " + (_("%(n)d months") % {"n": months} if months != 1 else _("1 month"))
    if kind == Measure.Parameter.DATE and decision.on_date is not None:
        from django.utils.formats import date_format

        return f"{name}: " + _("until %(date)s") % {"date": date_format(decision.on_date, "SHORT_DATE_FORMAT")}
    return name


def _take_effect(decision: Decision, by: User):
    """A department's measure becomes that department's action on the case's plan, so it lands on
    its worklist. A budget measure commits its value by being in effect (`selectors.budget_status`)."""
    from regie.plans.services import action_add

    department = decision.measure.department
    if not department or department == Department.SOCIAL:
        return None
    goal = _goal_for(decision, by)
    return action_add(
        goal=goal,
        what=describe(decision) + "\n" + _("From a decision in this case."),
        who="department",
        department=department,
        by=by,
    )


def _check_answer(decision: Decision, answer: str) -> str:
    allowed = TRANSITIONS.get(decision.status, {})
    if answer not in allowed:
        names = ", ".join(str(A(a).label) for a in allowed) or _("none")
        raise ValidationError(
            {
                "answer": _("A decision that is “%(status)s” can't be answered “%(answer)s”. Allowed: %(allowed)s.")
                % {
                    "status": S(decision.status).label,
                    "answer": A(answer).label if answer in A.values else answer,
                    "allowed": names,
                }
            }
        )
    return allowed[answer]


@transaction.atomic
def decision_answer(*, decision: Decision, answer: str, reason: str, by: User) -> Decision:
    """The approver approves, declines, asks a question or (a manager) passes it to the board; the
    director replies to a question. Always with a reason; the director is told by e-mail."""
    decision = Decision.objects.select_for_update().select_related("case", "measure").get(pk=decision.pk)
    reason = reason.strip()
    if answer not in A.values:
        raise ValidationError({"answer": _("Choose an answer.")})
    to_status = _check_answer(decision, answer)
    if answer == A.REPLY:
        if by.pk not in (decision.decided_by_id, decision.case.director_id):
            raise PermissionDenied(_("Only the director who recorded the decision replies to a question."))
    elif not may_approve(by, decision):
        raise PermissionDenied(
            _("This decision needs the approval of: %(level)s.") % {"level": Level(decision.required_level).label}
        )
    if answer == A.ESCALATE and decision.required_level == Level.BOARD:
        raise ValidationError({"answer": _("This decision is already with the board; approve, decline or ask.")})
    if not reason:
        raise ValidationError({"reason": _("Give the reason for your answer.")})
    if to_status == S.EFFECTIVE and not decision.case.is_open:
        raise ValidationError(_("This case is closed; it has to be re-opened before the decision can take effect."))
    now = timezone.now()
    approval = Approval.objects.create(decision=decision, answer=answer, reason=reason, by=by, at=now)
    fields = ["status"]
    decision.status = to_status
    if answer == A.ESCALATE:
        decision.required_level = Level.BOARD
        fields.append("required_level")
    if to_status == S.EFFECTIVE:
        decision.effective_at = now
        fields.append("effective_at")
    decision.save(update_fields=fields)
    action = _take_effect(decision, by) if to_status == S.EFFECTIVE else None
    extra = {"action": action.pk} if action else {}
    _entry(decision, answer, by, text=reason, answer=answer, level=decision.required_level, **extra)
    _log(decision.case_id, by)
    notify.answered(decision, approval)
    return decision


@transaction.atomic
def decision_withdraw(*, decision: Decision, by: User, reason: str) -> Decision:
    """The director takes back a decision that still waits (pending, or with a question)."""
    decision = Decision.objects.select_for_update().select_related("case", "measure").get(pk=decision.pk)
    if by.pk not in (decision.decided_by_id, decision.case.director_id):
        raise PermissionDenied(_("Only the director who recorded the decision withdraws it."))
    if decision.status not in (S.PENDING, S.QUESTION):
        raise ValidationError(
            _("A decision that is “%(status)s” can't be withdrawn; only one that still waits.")
            % {"status": S(decision.status).label}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you withdraw it.")})
    decision.status = S.WITHDRAWN
    decision.save(update_fields=["status"])
    _entry(decision, "withdrawn", by, text=reason)
    _log(decision.case_id, by)
    return decision


@transaction.atomic
def decision_spend(*, decision: Decision, amount, by: User) -> Decision:
    """Record money spent on a budget decision in effect: adds `amount`; never beyond its value."""
    decision = Decision.objects.select_for_update().select_related("case", "measure").get(pk=decision.pk)
    if not by.has_perm("cases.manage_case", decision.case):
        raise PermissionDenied(_("Only the case's director or his manager records what is spent."))
    if decision.budget_id is None:
        raise ValidationError(_("This decision is not paid from the custom budget."))
    if decision.status != S.EFFECTIVE:
        raise ValidationError(_("Only a decision in effect is spent."))
    try:
        amount = Decimal(str(amount))
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError({"amount": _("Fill in an amount above zero, in euros and cents.")})
    if decision.spent + amount > decision.value:
        raise ValidationError(
            {
                "amount": _("That is more than decided: %(left)s is left of this decision.")
                % {"left": decision.value - decision.spent}
            }
        )
    decision.spent += amount
    decision.save(update_fields=["spent"])
    _entry(decision, "spent", by, amount=str(amount), spent=str(decision.spent))
    _log(decision.case_id, by)
    return decision


# -- the catalogue, the limits and the budgets (functional administrator) ----------------------


def _require_admin(by: User) -> None:
    if not by.has_perm("mandate.manage_catalogue"):
        raise PermissionDenied(_("Only the functional administrator changes the mandate."))


@transaction.atomic
def measure_save(*, measure: Measure | None = None, by: User, **fields) -> Measure:
    """Add a measure to the catalogue or change one. Its code and parameter stay as they are once
    decisions use it (old decisions would change meaning); retire it with is_active=False."""
    _require_admin(by)
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    creating = measure is None
    measure = Measure() if creating else Measure.objects.select_for_update().get(pk=measure.pk)
    changed = [f for f, v in fields.items() if getattr(measure, f) != v]
    if not creating and measure.decisions.exists():
        fixed = [f for f in ("code", "parameter") if f in changed]
        if fixed:
            raise ValidationError(
                {f: _("Decisions use this measure; its code and parameter can't change.") for f in fixed}
            )
    for f, v in fields.items():
        setattr(measure, f, v.strip() if isinstance(v, str) else v)
    errors = {}
    if measure.department == Department.SOCIAL:
        errors["department"] = _("Choose the department whose work the measure changes, or none.")
    if measure.uses_budget and measure.parameter != Measure.Parameter.AMOUNT:
        errors["uses_budget"] = _("A measure paid from the budget has an amount as its parameter.")
    if errors:
        raise ValidationError(errors)
    measure.full_clean()
    if creating:
        measure.save()
    elif changed:
        measure.save(update_fields=changed)
    access_record(
        user=by,
        action=LogAction.CREATE if creating else LogAction.UPDATE,
        record_type="measure",
        record_ids=[measure.pk],
    )
    return measure


def _check_order(rows: dict[tuple[int, str], Decimal | None], measures: dict[int, Measure]) -> None:
    """A higher level may decide at least what a lower one may (None: no upper bound)."""
    errors = []
    for measure_id, measure in measures.items():
        seen: list[tuple[str, Decimal | None]] = []
        for level in LEVEL_ORDER:
            if (measure_id, level) not in rows:
                continue
            ceiling = rows[(measure_id, level)]
            for lower, lower_ceiling in seen:
                if ceiling is not None and (lower_ceiling is None or lower_ceiling > ceiling):
                    errors.append(
                        _("%(measure)s: %(level)s may decide less than %(lower)s.")
                        % {"measure": measure.name, "level": Level(level).label, "lower": Level(lower).label}
                    )
            seen.append((level, ceiling))
    if errors:
        raise ValidationError({"changes": errors})


@transaction.atomic
def limits_update(*, changes: dict[tuple[str, str], Decimal | None | bool], by: User, note: str) -> LimitsVersion:
    """A new version of the limits: the one in force with `changes` applied. A key is (measure
    code, level); a Decimal sets that level's ceiling, None makes it unbounded, False takes the
    level's right to decide it alone away. Decisions keep the version they were taken under."""
    _require_admin(by)
    if not changes:
        raise ValidationError({"changes": _("Nothing to change.")})
    # One version at a time: lock the newest so two administrators don't make the same number.
    current = LimitsVersion.objects.select_for_update().order_by("-version").first()
    rows: dict[tuple[int, str], Decimal | None] = {}
    if current is not None:
        rows = {(lim.measure_id, lim.level): lim.max_value for lim in current.limits.all()}
    by_code = {m.code: m for m in Measure.objects.filter(code__in={code for code, _level in changes})}
    errors = []
    for (code, level), value in changes.items():
        measure = by_code.get(code)
        if measure is None:
            errors.append(_("Unknown measure: %(code)s.") % {"code": code})
            continue
        if level not in Level.values:
            errors.append(_("Unknown level: %(level)s.") % {"level": level})
            continue
        if value is False:
            rows.pop((measure.pk, level), None)
            continue
        if value is True:
            errors.append(_("%(code)s: give a number, none for no upper bound, or false.") % {"code": code})
            continue
        if value is not None:
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                value = Decimal(-1)
            if not value.is_finite() or value < 0 or value != value.quantize(CENT) or value >= Decimal("1e9"):
                errors.append(_("%(code)s: a limit is zero or more, with at most two decimals.") % {"code": code})
                continue
        rows[(measure.pk, level)] = value
    if errors:
        raise ValidationError({"changes": errors})
    measures = {m.pk: m for m in Measure.objects.filter(pk__in={mid for mid, _lvl in rows})}
    _check_order(rows, measures)
    number = (LimitsVersion.objects.aggregate(n=Max("version"))["n"] or 0) + 1
    version = LimitsVersion.objects.create(version=number, created_by=by, note=note.strip()[:300])
    Limit.objects.bulk_create(
        [Limit(version=version, measure_id=mid, level=level, max_value=v) for (mid, level), v in sorted(rows.items())]
    )
    access_record(user=by, action=LogAction.CREATE, record_type="limits", record_ids=[version.pk])
    return version


@transaction.atomic
def budget_set(*, team: Team, year: int, amount, by: User) -> Budget:
    """Set a team's custom budget for a year (made if it has none yet)."""
    _require_admin(by)
    try:
        amount = Decimal(str(amount))
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
        raise ValidationError({"amount": _("Fill in an amount of zero or more, in euros and cents.")})
    budget, created = Budget.objects.select_for_update().get_or_create(
        team=team, year=year, defaults={"amount": amount}
    )
    if not created and budget.amount != amount:
        budget.amount = amount
        budget.full_clean()
        budget.save(update_fields=["amount"])
    access_record(
        user=by, action=LogAction.CREATE if created else LogAction.UPDATE, record_type="budget", record_ids=[budget.pk]
    )
    return budget

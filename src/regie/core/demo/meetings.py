"""The demo's team meetings: each team's rhythm (a daily stand-up, a weekly case review on
Tuesday), a year of weekly case reviews and the last two weeks of stand-ups, each held and closed
with its agenda, the advice and decisions per item (on the case timelines, dated at the meeting)
and, in the recent ones, follow-up actions made through the services. The next case review is
planned with the agenda Regie drafts, and one case waits, put forward with a question.

Call it after the cases, plans, network and mandate (and the obstacles, whose open ones the next
agenda picks up). Everything is invented.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from regie.accounts.models import Role, Team, User
from regie.cases.models import Case, EntryKind, TimelineEntry
from regie.meetings import services
from regie.meetings.models import AgendaItem, CaseQuestion, Kind, Meeting
from regie.plans.models import Action, Goal

REVIEW_WEEKDAY = 1  # Tuesday
REVIEW_AT, DAILY_AT = time(10, 0), time(8, 45)
WEEKS = 52
DAILY_DAYS = 14

QUESTIONS = [
    "Ik kom niet binnen: de huurder doet niet open en belt niet terug. Wie heeft een idee?",
    "Zien jullie een tweedekanscontract zitten, of is dat te vroeg?",
    "De schuldhulp loopt vast op de wachtlijst. Kunnen we iets overbruggen?",
    "Moeten we de wijkagent erbij halen, of maakt dat het erger?",
    "Hoe houden we de kinderen in beeld zonder het vertrouwen te verliezen?",
    "Is dit nog iets voor ons, of kunnen we afschalen naar nazorg?",
]
ADVICE = [
    "Samen met het wijkteam op huisbezoek; kort en met één concrete vraag.",
    "Eerst de vaste lasten op een rij met budgetcoaching, dan pas de regeling aanpassen.",
    "Contact via de dochter proberen; zij heeft eerder goed bemiddeld.",
    "Niet wachten op de wachtlijst: tijdelijk budgetbeheer via de gemeente aanvragen.",
    "Met de huurder een kleine, haalbare eerste stap afspreken en die binnen een week nabellen.",
    "Signalen van de buren serieus nemen, maar eerst het eigen verhaal van de huurder horen.",
    "Afschalen kan als de regeling drie maanden loopt; tot die tijd maandelijks contact.",
]
DECISIONS = [
    "Regisseur plant het huisbezoek deze week.",
    "Voorleggen aan de manager voor een maatwerkbesluit.",
    "Casus over vier weken opnieuw op de agenda.",
    "Geen nieuwe stappen; de lopende afspraken houden.",
    "Verwijzing naar schuldhulp opnieuw versturen met de handtekening van de huurder.",
    "",
]
FOLLOW_UPS = [
    ("Huisbezoek samen met het wijkteam", "director"),
    ("Aanmelden bij budgetcoaching", "tenant"),
    ("Betalingsregeling opnieuw doorrekenen", "department"),
]
ADDED = ["Werkdruk en verdeling van nieuwe casussen", "Terugblik op de training motiverende gespreksvoering"]
NOTES = ["", "", "Volgende keer de wachtlijst bij schuldhulp bespreken.", "Iedereen houdt de eigen caseload bij."]


def _at(day: date, t: time) -> datetime:
    return datetime.combine(day, t, tzinfo=timezone.get_default_timezone())


def _open_on(case: Case, moment: datetime) -> bool:
    return case.opened_at <= moment and (case.closed_at is None or case.closed_at > moment)


def build_meetings(*, rng: random.Random, as_of: date, teams: dict[str, Team], cases: list[Case], users) -> dict:
    made = {"meetings": 0, "agenda items": 0, "follow-up actions": 0}
    for team in teams.values():
        members = [u for u in users.values() if u.role in (Role.PROFESSIONAL, Role.MANAGER) and team in u.teams.all()]
        if not members:
            continue
        manager = next((u for u in members if u.role == Role.MANAGER), members[0])
        services.rhythm_save(team=team, kind=Kind.DAILY, at=DAILY_AT, minutes=15, no_progress_days=21, by=manager)
        services.rhythm_save(
            team=team, kind=Kind.CASE_REVIEW, weekday=REVIEW_WEEKDAY, at=REVIEW_AT, minutes=90, no_progress_days=21,
            by=manager,
        )  # fmt: skip
        team_cases = sorted((c for c in cases if c.team_id == team.pk), key=lambda c: c.pk)
        _held(rng, as_of, team, members, team_cases, made)
        _upcoming(rng, as_of, team, members, team_cases, made)
    return made


def _review_days(as_of: date) -> list[date]:
    last = as_of - timedelta(days=((as_of.weekday() - REVIEW_WEEKDAY) % 7) or 7)
    return [last - timedelta(weeks=w) for w in range(WEEKS - 1, -1, -1)]


def _daily_days(as_of: date) -> list[date]:
    days = [as_of - timedelta(days=d) for d in range(DAILY_DAYS, 0, -1)]
    return [d for d in days if d.weekday() < 5 and d.weekday() != REVIEW_WEEKDAY]


def _held(rng, as_of, team, members, team_cases, made) -> None:
    schedule = [(d, Kind.CASE_REVIEW) for d in _review_days(as_of)] + [(d, Kind.DAILY) for d in _daily_days(as_of)]
    schedule.sort()
    previous: dict[str, datetime] = {}
    recent_reviews = set(_review_days(as_of)[-4:])
    for n, (day, kind) in enumerate(schedule):
        start = _at(day, REVIEW_AT if kind == Kind.CASE_REVIEW else DAILY_AT)
        chair = members[n % len(members)]
        attendees = [m for m in members if m == chair or rng.random() > 0.15]
        length = timedelta(minutes=90 if kind == Kind.CASE_REVIEW else 15)
        meeting = Meeting.objects.create(
            team=team,
            kind=kind,
            starts_at=start,
            chair=chair,
            status=Meeting.Status.CLOSED,
            closed_at=start + length,
            notes=rng.choice(NOTES) if kind == Kind.CASE_REVIEW else "",
        )
        meeting.attendees.set(attendees)
        made["meetings"] += 1
        open_now = [c for c in team_cases if _open_on(c, start)]
        since = previous.get(kind, start - timedelta(days=7))
        previous[kind] = start
        picks: list[tuple[str, Case]] = [(AgendaItem.Source.NEW_CASE, c) for c in open_now if c.opened_at > since][:3]
        others = [c for c in open_now if c not in [p[1] for p in picks]]
        rng.shuffle(others)
        count = rng.randint(1, 3) if kind == Kind.CASE_REVIEW else rng.randint(0, 1)
        for c in others[:count]:
            source = rng.choice(
                [AgendaItem.Source.PUT_FORWARD, AgendaItem.Source.NO_PROGRESS, AgendaItem.Source.OVERDUE_ACTIONS]
            )
            picks.append((source, c))
        picks.sort(key=lambda p: p[0] != AgendaItem.Source.PUT_FORWARD)
        items, entries = [], []
        for order, (source, case) in enumerate(picks, start=1):
            question = None
            if source == AgendaItem.Source.PUT_FORWARD:
                question = CaseQuestion.objects.create(
                    case=case,
                    question=rng.choice(QUESTIONS),
                    asked_by=case.director,
                    asked_at=start - timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6)),
                    handled_in=meeting,
                )
            advice, decision = rng.choice(ADVICE), rng.choice(DECISIONS)
            items.append(
                AgendaItem(
                    meeting=meeting,
                    order=order,
                    source=source,
                    case=case,
                    question=question,
                    title=f"#{case.pk} {case.household.name}"[:300],
                    advice=advice,
                    decision=decision,
                    discussed_at=start + timedelta(minutes=10 * order),
                )
            )
        if kind == Kind.CASE_REVIEW and rng.random() < 0.2:
            items.append(
                AgendaItem(
                    meeting=meeting,
                    order=len(items) + 1,
                    source=AgendaItem.Source.ADDED,
                    title=rng.choice(ADDED),
                    advice="Besproken; de manager neemt het mee naar het MT.",
                    discussed_at=start + timedelta(minutes=80),
                )
            )
        items = AgendaItem.objects.bulk_create(items)
        for item in items:
            if item.case_id is None:
                continue
            if item.source == AgendaItem.Source.PUT_FORWARD:
                entries.append(
                    TimelineEntry(
                        case_id=item.case_id,
                        kind=EntryKind.MEETING,
                        actor=item.case.director,
                        at=item.question.asked_at,
                        text=item.question.question,
                        data={"change": "put_forward", "question": item.question_id},
                    )
                )
            text = "\n".join(
                p for p in (f"Advies: {item.advice}", f"Besluit: {item.decision}" if item.decision else "") if p
            )
            entries.append(
                TimelineEntry(
                    case_id=item.case_id,
                    kind=EntryKind.MEETING,
                    actor=chair,
                    at=item.discussed_at,
                    text=text,
                    data={"meeting": meeting.pk, "item": item.pk, "change": "record"},
                )
            )
        TimelineEntry.objects.bulk_create(entries)
        made["agenda items"] += len(items)
        if day in recent_reviews and kind == Kind.CASE_REVIEW:
            _follow_up(rng, meeting, items, chair, made)


def _follow_up(rng, meeting: Meeting, items: list[AgendaItem], chair: User, made: dict) -> None:
    """One follow-up action made through the services, dated back to the meeting."""
    item = next((i for i in items if i.case_id and i.case.is_open), None)
    if item is None:
        return
    what, who = rng.choice(FOLLOW_UPS)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.OPEN)
    meeting.status = Meeting.Status.OPEN
    item.meeting = meeting
    action = services.item_action(
        item=item,
        what=what,
        who=who,
        department="collections" if who == "department" else "",
        due=timezone.localdate(meeting.starts_at) + timedelta(days=14),
        by=chair,
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    at = item.discussed_at
    Action.objects.filter(pk=action.pk).update(created_at=at)
    TimelineEntry.objects.filter(case=item.case_id, kind=EntryKind.PLAN, data__action=action.pk).update(at=at)
    TimelineEntry.objects.filter(case=item.case_id, kind=EntryKind.MEETING, data__action=action.pk).update(at=at)
    goal = action.goal
    if goal.text == services.MEETING_GOAL and goal.created_at > at:
        Goal.objects.filter(pk=goal.pk).update(created_at=at)
        TimelineEntry.objects.filter(case=item.case_id, kind=EntryKind.PLAN, data__goal=goal.pk, at__gt=at).update(
            at=at
        )
    made["follow-up actions"] += 1


def _upcoming(rng, as_of, team, members, team_cases, made) -> None:
    """The next case review, planned, with the agenda Regie drafts; one case put forward for it."""
    ahead = (REVIEW_WEEKDAY - as_of.weekday()) % 7 or 7
    start = _at(as_of + timedelta(days=ahead), REVIEW_AT)
    open_cases = [c for c in team_cases if c.is_open]
    if open_cases:
        case = rng.choice(open_cases)
        q = services.question_put_forward(case=case, question=rng.choice(QUESTIONS), by=case.director)
        asked = _at(as_of - timedelta(days=1), time(15, 30))
        CaseQuestion.objects.filter(pk=q.pk).update(asked_at=asked)
        TimelineEntry.objects.filter(case=case, kind=EntryKind.MEETING, data__question=q.pk).update(at=asked)
    chair = members[0]
    meeting = services.meeting_plan(
        team=team, kind=Kind.CASE_REVIEW, starts_at=start, chair=chair, attendees=members, by=chair, draft=True
    )
    made["meetings"] += 1
    made["agenda items"] += meeting.items.count()

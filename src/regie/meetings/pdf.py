"""The minutes of a team meeting as a PDF, in Dutch whatever the reader's interface language: who
attended, and per item why it was on the agenda, the advice, what was decided and the follow-up
actions. For the attendees and the team's manager (the view checks; the minutes name households).

The words are written here and in meetings/minutes_pdf.html in Dutch on purpose, as the plan's PDF
does: the minutes are the team's record, kept in the corporation's language.
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from regie.meetings import selectors
from regie.meetings.models import AgendaItem, Kind, Meeting
from regie.plans.models import Action

KIND_WORDS = {Kind.DAILY: "Dagstart", Kind.CASE_REVIEW: "Casuïstiekoverleg", Kind.OTHER: "Overleg"}
SOURCE_WORDS = {
    AgendaItem.Source.PUT_FORWARD: "Ingebracht met een vraag",
    AgendaItem.Source.NEW_CASE: "Nieuwe casus",
    AgendaItem.Source.NO_PROGRESS: "Geen voortgang",
    AgendaItem.Source.OVERDUE_ACTIONS: "Acties over de termijn",
    AgendaItem.Source.APPROVAL: "Besluit wacht op akkoord",
    AgendaItem.Source.REFERRAL: "Verwijzing niet beantwoord",
    AgendaItem.Source.OBSTACLE: "Open knelpunt",
    AgendaItem.Source.ADDED: "Toegevoegd door de voorzitter",
}
WHO_WORDS = {
    Action.Who.TENANT: "Huurder",
    Action.Who.DIRECTOR: "Regisseur",
    Action.Who.DEPARTMENT: "Afdeling",
    Action.Who.PARTNER: "Partner",
}


def _nl_date(day) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


def minutes_context(meeting: Meeting, *, items=None) -> dict:
    items = items if items is not None else selectors.items_of(meeting)
    follow = selectors.follow_ups(meeting)
    start = timezone.localtime(meeting.starts_at)
    rows = []
    for n, item in enumerate(items, start=1):
        rows.append(
            {
                "n": n,
                "title": item.title,
                "why": SOURCE_WORDS.get(item.source, item.source),
                "question": item.question.question if item.question_id and item.question else "",
                "advice": item.advice,
                "decision": item.decision,
                "discussed": bool(item.discussed_at),
                "actions": [
                    {
                        "what": f["action"].what,
                        "who": WHO_WORDS.get(f["action"].who, f["action"].who),
                        "when": _nl_date(f["action"].due) or "Zo snel mogelijk",
                    }
                    for f in follow.get(item.pk, [])
                ],
            }
        )
    return {
        "meeting": meeting,
        "kind": KIND_WORDS.get(meeting.kind, "Overleg"),
        "team": str(meeting.team),
        "date": _nl_date(start.date()),
        "time": start.strftime("%H:%M"),
        "chair": str(meeting.chair),
        "attendees": [str(u) for u in meeting.attendees.order_by("last_name", "first_name")],
        "items": rows,
        "notes": meeting.notes,
        "closed": _nl_date(timezone.localdate(meeting.closed_at)) if meeting.closed_at else "",
    }


def minutes_html(meeting: Meeting, *, items=None) -> str:
    with translation.override("nl"):
        return render_to_string("meetings/minutes_pdf.html", minutes_context(meeting, items=items))


def minutes_pdf_bytes(meeting: Meeting, *, items=None) -> bytes:
    from weasyprint import HTML

    # No base URL: the document loads nothing from outside itself.
    return HTML(string=minutes_html(meeting, items=items)).write_pdf()

"""HTML for the long, repeated parts of the busiest pages (caseload rows, timeline items), built in
Python with format_html: the template language spent more time on these rows than all the rest of
the request together (bench/: ~10 ms of ~20 ms per caseload page). Escaping is format_html's."""

from html import escape as esc

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime as timezone_local
from django.utils.translation import gettext as _

from regie.cases.models import Status
from regie.core.choices import label
from regie.core.templatetags.regie import URGENCY
from regie.core.vera import EventSource

# Marks that inform rather than alarm: a plain badge.
INFORMATIVE = ("action_coming", "recurrence")


def caseload_rows(rows, *, show_director: bool) -> SafeString:
    # Plain f-strings with html.escape: format_html's per-argument work cost ~0.1 ms a row.
    labels = {
        k: esc(str(v))
        for k, v in {
            "household": _("Household"),
            "address": _("Address"),
            "status": _("Status"),
            "director": _("Director"),
            "days": _("Days open"),
            "next": _("Next step"),
            "urgency": _("Urgency"),
        }.items()
    }
    dash = '<span class="muted">—</span>'
    urgency = {code: esc(str(label)) for code, label in URGENCY.items()}
    # One reverse per page, not per row: the case page's URL around a placeholder number.
    before, _mark, after = reverse("cases:detail", args=[987654321]).partition("987654321")
    out = []
    for case, marks, days in rows:
        unit = case.household.unit
        next_step = dash
        if case.next_step:
            next_step = esc(case.next_step)
            if case.next_step_due:
                next_step += f' <span class="muted">({date_format(case.next_step_due, "SHORT_DATE_FORMAT")})</span>'
        # A coming action is a heads-up, not an alarm: a plain badge.
        marks_html = (
            " ".join(
                f'<span class="badge{"" if m in INFORMATIVE else " urgency"}">{urgency.get(m, esc(m))}</span>'
                for m in marks
            )
            or dash
        )
        director = f'<td data-label="{labels["director"]}">{esc(str(case.director))}</td>' if show_director else ""
        out.append(
            f'<tr><td data-label="{labels["household"]}">'
            f'<a href="{before}{case.pk}{after}">{esc(case.household.name)}</a></td>'
            f'<td data-label="{labels["address"]}">{esc(unit.address)}, {esc(unit.postcode)}</td>'
            f'<td data-label="{labels["status"]}"><span class="badge status-{esc(case.status)}">'
            f"{esc(label(Status, case.status))}</span></td>{director}"
            f'<td data-label="{labels["days"]}" class="num">{int(days)}</td>'
            f'<td data-label="{labels["next"]}">{next_step}</td>'
            f'<td data-label="{labels["urgency"]}">{marks_html}</td></tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value above went through esc()


def _shielded_copy(entry):
    """The entry as a reader outside the case team may have it described (plans.sensitivity)."""
    from copy import copy

    from regie.plans.sensitivity import shielded_data

    shown = copy(entry)
    shown.data = shielded_data(entry.data)
    return shown


def timeline_items(items, *, shield) -> SafeString:
    """The case page's timeline: case entries and household events, as the template drew them.

    `shield` (plans.sensitivity.Shield) says which entries' words are the case team's only: those
    show a placeholder instead of their note."""
    from django.template.defaultfilters import linebreaksbr

    from regie.cases.templatetags.cases import describe_entry
    from regie.plans.sensitivity import PLACEHOLDER

    present = _("Present")
    shielded = format_html('<p class="muted shielded">{}</p>', PLACEHOLDER)
    out = []
    for item in items:
        if item["kind"] == "entry":
            e = item["obj"]
            contact = e.contact
            hidden = shield.entry(e)
            when = date_format(timezone_local(contact.at if contact else e.at), "SHORT_DATETIME_FORMAT")
            actor = format_html(" · {}", e.actor) if e.actor else ""
            body = ""
            if contact:
                people = [p.full_name for p in contact.persons.all()] + ([contact.others] if contact.others else [])
                if people:
                    body = format_html("<br><small>{}: {}</small>", present, ", ".join(people))
                note = shielded if hidden else format_html("<p>{}</p>", linebreaksbr(contact.summary, autoescape=True))
                body = format_html("{}{}", body, note)
            elif hidden:
                body = shielded
            elif e.text:
                body = format_html("<p>{}</p>", linebreaksbr(e.text, autoescape=True))
            out.append(
                format_html(
                    '<li class="{}"><span class="when">{}{}</span><br><span class="kind">{}</span>{}</li>',
                    e.kind,
                    when,
                    actor,
                    describe_entry(_shielded_copy(e) if hidden else e),
                    body,
                )  # fmt: skip
            )
        else:
            ev = item["obj"]
            severity = (
                format_html(' <span class="badge urgency">{}</span>', _("severity %(s)s") % {"s": ev.severity})
                if ev.severity > 1
                else ""
            )
            description = format_html("<p>{}</p>", ev.description) if ev.description else ""
            out.append(
                format_html(
                    '<li class="event"><span class="when">{} · {}</span><br><span class="kind">{}</span>{}{}</li>',
                    date_format(ev.date, "SHORT_DATE_FORMAT"),
                    label(EventSource, ev.source),
                    ev.type_name,
                    severity,
                    description,
                )  # fmt: skip
            )
    if not out:
        out.append(format_html("<li>{}</li>", _("Nothing on the timeline yet.")))
    return mark_safe("\n".join(out))  # noqa: S308 - every part went through format_html

"""What the team meeting adds to the case page (a hook for regie.cases.views; its template
meetings/_case_put_forward.html is included by cases/detail.html): the questions this case waits
with for the team, what the team advised before, and the form to put the case forward.

`case_context(request, case, *, may_manage, may_contribute)` returns the extra context.
"""


def case_context(request, case, *, may_manage: bool, may_contribute: bool) -> dict:
    # Imported here: regie.cases.views imports this module, and the meetings' modules import cases.
    from regie.cases.models import EntryKind, TimelineEntry
    from regie.cases.panel_reads import reads_for
    from regie.meetings.forms import PutForwardForm
    from regie.meetings.models import CaseQuestion

    forms = getattr(request, "meetings_forms", None) or {}
    reads = reads_for(request, case)
    questions = []
    if reads.has("meeting_questions"):
        questions = list(
            CaseQuestion.objects.filter(case=case).select_related("asked_by").order_by("-asked_at", "-pk")[:10]
        )
    discussed = 0
    if reads.has("meeting_entries"):
        discussed = TimelineEntry.objects.filter(case=case, kind=EntryKind.MEETING, data__change="record").count()
    ctx = {
        "meeting_questions": [q for q in questions if q.handled_in_id is None],
        "meeting_questions_handled": [q for q in questions if q.handled_in_id is not None][:3],
        "meeting_discussed": discussed,
        "may_put_forward": bool(may_contribute and case.is_open),
    }
    if ctx["may_put_forward"]:
        ctx["put_forward_form"] = forms.get("put_forward") or PutForwardForm()
        ctx["may_withdraw_any"] = may_manage
    return ctx

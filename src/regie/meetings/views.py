"""The team meeting's pages, under /overleg/: the list, the rhythm (managers), planning, the agenda
and the meeting itself (one page: the chair edits the agenda, then records per item), the minutes
as a PDF, and putting a case forward from the case page.

A meeting goes through `meeting_for` (404 for anyone but its attendees, its chair and the team's
manager); the chair's work needs `may_chair` (403 otherwise). Every case the agenda shows is a read
of that case on the access log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.audit.models import Action as LogAction
from regie.audit.services import access_denied
from regie.cases.models import Case
from regie.cases.selectors import case_for, cases_visible_to
from regie.core.forms import apply_validation_error
from regie.meetings import selectors, services
from regie.meetings.forms import CloseForm, FollowUpForm, ItemAddForm, PlanForm, PutForwardForm, RecordForm, RhythmForm
from regie.meetings.models import AgendaItem, Kind, Meeting
from regie.plans.models import Goal

S = Meeting.Status


def _refuse(user, meeting: Meeting):
    access_denied(user=user, record_type="meeting", record_id=meeting.pk, action=LogAction.UPDATE)
    raise PermissionDenied


def _require_reader(user) -> None:
    if not user.reads_case_content:
        raise Http404


# -- the list and the rhythm ------------------------------------------------------------------


@login_required
def meeting_list(request):
    user = request.user
    _require_reader(user)
    now = timezone.now()
    qs = selectors.meetings_visible_to(user).select_related("team", "chair")
    upcoming = list(qs.exclude(status=S.CLOSED).order_by("starts_at", "pk")[:50])
    past = list(qs.filter(status=S.CLOSED).order_by("-starts_at", "-pk")[:50])
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "now": now,
            "may_plan": selectors.teams_to_plan_for(user).exists(),
            "may_set_rhythm": selectors.teams_managed_by(user).exists(),
        },
    )


def _rhythm_forms(teams, data=None):
    out = []
    for team in teams:
        rows = []
        for kind in (Kind.DAILY, Kind.CASE_REVIEW):
            rhythm = selectors.rhythm_of(team, kind)
            initial = (
                {
                    "weekday": rhythm.weekday,
                    "at": rhythm.at,
                    "minutes": rhythm.minutes,
                    "no_progress_days": rhythm.no_progress_days,
                    "is_active": rhythm.is_active,
                }
                if rhythm
                else {
                    "weekday": 1,
                    "at": "08:45" if kind == Kind.DAILY else "10:00",
                    "minutes": 15 if kind == Kind.DAILY else 90,
                    "no_progress_days": 21,
                    "is_active": False,
                }
            )
            rows.append((Kind(kind), RhythmForm(data, kind=kind, team_id=team.pk, initial=initial)))
        out.append((team, rows))
    return out


@login_required
def rhythm(request):
    """The manager sets when each of his teams meets, per kind of meeting."""
    teams = list(selectors.teams_managed_by(request.user))
    if not teams:
        raise Http404
    if request.method == "POST":
        team = next((t for t in teams if str(t.pk) == request.POST.get("team")), None)
        kind = request.POST.get("kind")
        if team is None or kind not in (Kind.DAILY, Kind.CASE_REVIEW):
            raise Http404
        form = RhythmForm(request.POST, kind=kind, team_id=team.pk)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.rhythm_save(
                    team=team,
                    kind=kind,
                    weekday=d.get("weekday"),
                    at=d["at"],
                    minutes=d["minutes"],
                    no_progress_days=d["no_progress_days"],
                    is_active=d["is_active"],
                    by=request.user,
                )
            except ValidationError as err:
                apply_validation_error(form, err)
            else:
                messages.success(request, _("Rhythm saved"))
                return redirect("meetings:rhythm")
        rows = _rhythm_forms(teams)
        for t, kinds in rows:
            for i, (k, _f) in enumerate(kinds):
                if t.pk == team.pk and k == kind:
                    kinds[i] = (k, form)
        return render(request, "meetings/rhythm.html", {"rows": rows}, status=400)
    return render(request, "meetings/rhythm.html", {"rows": _rhythm_forms(teams)})


# -- planning ---------------------------------------------------------------------------------


@login_required
def plan(request):
    user = request.user
    teams = list(selectors.teams_to_plan_for(user))
    if not teams:
        raise Http404
    team_id = request.POST.get("team") or request.GET.get("team")
    team = next((t for t in teams if str(t.pk) == team_id), None)
    if team is None and len(teams) == 1:
        team = teams[0]
    if team is None:
        return render(request, "meetings/plan.html", {"teams": teams, "team": None})
    members = selectors.team_members(team)
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else Kind.CASE_REVIEW
    if request.method == "POST":
        form = PlanForm(request.POST, members=members)
        if form.is_valid():
            d = form.cleaned_data
            try:
                meeting = services.meeting_plan(
                    team=team,
                    kind=d["kind"],
                    starts_at=d["starts_at"],
                    chair=d["chair"],
                    attendees=d["attendees"],
                    by=user,
                )
            except ValidationError as err:
                apply_validation_error(form, err)
            else:
                messages.success(request, _("Meeting planned; Regie drafted its agenda."))
                return redirect("meetings:detail", meeting.pk)
        return render(request, "meetings/plan.html", {"teams": teams, "team": team, "form": form}, status=400)
    rhythm = selectors.rhythm_of(team, kind)
    initial = {
        "kind": kind,
        "chair": user.pk if members.filter(pk=user.pk).exists() else None,
        "attendees": list(members.values_list("pk", flat=True)),
    }
    if rhythm is not None:
        initial["starts_at"] = timezone.localtime(services.next_start(rhythm))
    form = PlanForm(initial=initial, members=members)
    return render(request, "meetings/plan.html", {"teams": teams, "team": team, "form": form})


# -- the meeting: agenda, record, close -------------------------------------------------------


def _meeting_page(request, meeting: Meeting, *, forms=None, status=200):
    forms = forms or {}
    user = request.user
    chair = selectors.may_chair(user, meeting)
    items = selectors.items_of(meeting)
    removed = selectors.items_of(meeting, with_removed=True) if chair else []
    removed = [i for i in removed if i.removed]
    selectors.log_case_reads(user, items + removed)
    facts = selectors.case_facts(items, timezone.localdate(meeting.starts_at))
    follow = selectors.follow_ups(meeting)
    goals_by_case: dict[int, list[Goal]] = {}
    if chair and meeting.status == S.OPEN:
        for g in Goal.objects.filter(case__in=[i.case_id for i in items if i.case_id], status=Goal.Status.OPEN):
            goals_by_case.setdefault(g.case_id, []).append(g)
    for n, item in enumerate(items):
        item.facts = facts.get(item.case_id)
        item.follow_ups = follow.get(item.pk, [])
        item.is_first, item.is_last = n == 0, n == len(items) - 1
        if chair and meeting.status == S.OPEN:
            item.record_form = forms.get(("record", item.pk)) or RecordForm(
                item_id=item.pk, initial={"advice": item.advice, "decision": item.decision}
            )
            if item.case_id and item.case.is_open:
                goals = Goal.objects.filter(pk__in=[g.pk for g in goals_by_case.get(item.case_id, [])])
                item.follow_up_form = forms.get(("action", item.pk)) or FollowUpForm(item_id=item.pk, goals=goals)
    case_ids = [i.case_id for i in items if i.case_id]
    visible = set(cases_visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True)) if case_ids else set()
    ctx = {
        "meeting": meeting,
        "items": items,
        "visible_cases": visible,
        "removed": removed,
        "attendees": list(meeting.attendees.order_by("last_name", "first_name")),
        "may_chair": chair,
        "editable": chair and meeting.status != S.CLOSED,
        "add_form": forms.get("add") or ItemAddForm(),
        "close_form": forms.get("close") or CloseForm(initial={"notes": meeting.notes}),
    }
    return render(request, "meetings/detail.html", ctx, status=status)


@login_required
def detail(request, pk: int):
    return _meeting_page(request, selectors.meeting_for(request.user, pk))


def _chair_meeting(request, pk: int) -> Meeting:
    meeting = selectors.meeting_for(request.user, pk)
    if not selectors.may_chair(request.user, meeting):
        _refuse(request.user, meeting)
    return meeting


def _chair_item(request, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting", "case"), pk=pk)
    meeting = _chair_meeting(request, item.meeting_id)
    item.meeting = meeting
    return item


def _done(request, meeting: Meeting, text: str, anchor: str = ""):
    messages.success(request, text)
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + anchor)


def _fail(request, meeting: Meeting, err: ValidationError):
    for m in err.messages:
        messages.error(request, m)
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def draft(request, pk: int):
    meeting = _chair_meeting(request, pk)
    try:
        added = services.agenda_draft(meeting=meeting, by=request.user)
    except ValidationError as err:
        return _fail(request, meeting, err)
    return _done(request, meeting, _("%(n)s items added to the agenda.") % {"n": len(added)}, "#agenda-h")


@login_required
@require_POST
def item_add(request, pk: int):
    meeting = _chair_meeting(request, pk)
    form = ItemAddForm(request.POST)
    if form.is_valid():
        case = None
        if form.cleaned_data.get("case"):
            case = Case.objects.filter(pk=form.cleaned_data["case"], team=meeting.team_id).first()
            if case is None:
                form.add_error("case", _("Choose a case of the team."))
        if not form.errors:
            try:
                services.item_add(meeting=meeting, title=form.cleaned_data["title"], case=case, by=request.user)
            except ValidationError as err:
                apply_validation_error(form, err)
            else:
                return _done(request, meeting, _("Item added"), "#agenda-h")
    return _meeting_page(request, meeting, forms={"add": form}, status=400)


@login_required
@require_POST
def item_move(request, pk: int, direction: str):
    item = _chair_item(request, pk)
    try:
        services.item_move(item=item, up=direction == "up", by=request.user)
    except ValidationError as err:
        return _fail(request, item.meeting, err)
    return _done(request, item.meeting, _("Agenda reordered"), f"#item-{item.pk}-h")


@login_required
@require_POST
def item_remove(request, pk: int):
    item = _chair_item(request, pk)
    restore = request.POST.get("restore") == "1"
    try:
        services.item_remove(item=item, removed=not restore, by=request.user)
    except ValidationError as err:
        return _fail(request, item.meeting, err)
    return _done(request, item.meeting, _("Item back on the agenda") if restore else _("Item removed"), "#agenda-h")


@login_required
@require_POST
def start(request, pk: int):
    meeting = _chair_meeting(request, pk)
    try:
        services.meeting_start(meeting=meeting, by=request.user)
    except ValidationError as err:
        return _fail(request, meeting, err)
    return _done(request, meeting, _("The meeting has started"), "#agenda-h")


@login_required
@require_POST
def item_record(request, pk: int):
    item = _chair_item(request, pk)
    form = RecordForm(request.POST, item_id=item.pk)
    if form.is_valid():
        try:
            services.item_record(
                item=item, advice=form.cleaned_data["advice"], decision=form.cleaned_data["decision"], by=request.user
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            return _done(request, item.meeting, _("Recorded"), f"#item-{item.pk}-h")
    return _meeting_page(request, item.meeting, forms={("record", item.pk): form}, status=400)


@login_required
@require_POST
def item_action(request, pk: int):
    item = _chair_item(request, pk)
    if item.case_id is None:
        raise Http404
    goals = Goal.objects.filter(case=item.case_id, status=Goal.Status.OPEN)
    form = FollowUpForm(request.POST, item_id=item.pk, goals=goals)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.item_action(
                item=item,
                what=d["what"],
                who=d["who"],
                department=d["department"],
                due=d["due"],
                goal=d["goal"],
                domain=d["domain"],
                by=request.user,
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            return _done(request, item.meeting, _("Follow-up action added to the plan"), f"#item-{item.pk}-h")
    return _meeting_page(request, item.meeting, forms={("action", item.pk): form}, status=400)


@login_required
@require_POST
def close(request, pk: int):
    meeting = _chair_meeting(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_close(meeting=meeting, notes=form.cleaned_data["notes"], by=request.user)
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            return _done(request, meeting, _("Meeting closed; the minutes are ready."))
    return _meeting_page(request, meeting, forms={"close": form}, status=400)


@login_required
def minutes(request, pk: int):
    """The minutes as a PDF: for the attendees and the team's manager, once the meeting closed."""
    from regie.meetings.pdf import minutes_pdf_bytes

    meeting = selectors.meeting_for(request.user, pk)
    if meeting.status != S.CLOSED:
        raise Http404
    items = selectors.items_of(meeting)
    selectors.log_case_reads(request.user, items)
    response = HttpResponse(minutes_pdf_bytes(meeting, items=items), content_type="application/pdf")
    day = timezone.localdate(meeting.starts_at).isoformat()
    response["Content-Disposition"] = f'inline; filename="verslag-werkoverleg-{day}.pdf"'
    return response


# -- putting a case forward, from the case page -----------------------------------------------


@login_required
@require_POST
def put_forward(request, case_pk: int):
    case = case_for(request.user, case_pk)
    if not request.user.has_perm("cases.contribute", case):
        access_denied(user=request.user, record_type="case", record_id=case.pk, action=LogAction.UPDATE)
        raise PermissionDenied
    form = PutForwardForm(request.POST)
    if form.is_valid():
        try:
            services.question_put_forward(case=case, question=form.cleaned_data["question"], by=request.user)
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("The case is put forward for the team's next meeting."))
            return redirect(case.get_absolute_url() + "#put-forward-h")
    # The case page again, its put-forward form showing the errors (regie.meetings.panels).
    from regie.cases.views import _case_page

    request.meetings_forms = {"put_forward": form}
    return _case_page(request, case, status=400)


@login_required
@require_POST
def question_withdraw(request, pk: int):
    from regie.meetings.models import CaseQuestion

    question = get_object_or_404(CaseQuestion, pk=pk)
    case = case_for(request.user, question.case_id)
    if not (question.asked_by_id == request.user.pk or request.user.has_perm("cases.manage_case", case)):
        access_denied(user=request.user, record_type="case", record_id=case.pk, action=LogAction.UPDATE)
        raise PermissionDenied
    try:
        services.question_withdraw(question=question, by=request.user)
    except ValidationError as err:
        for m in err.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("Question withdrawn"))
    return redirect(case.get_absolute_url() + "#put-forward-h")

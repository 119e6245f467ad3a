"""The lessons and obstacles pages, under /leren/. Views parse, call a selector or service, and render.

Everyone who works cases (professionals, managers) reads lessons and obstacles; other roles get a
404. A record's links to cases show only to who may see those cases. Working an obstacle (status,
steps, owner) belongs to its team's managers (403 for others who see it).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.audit.models import Action
from regie.audit.services import access_record
from regie.cases.selectors import cases_visible_to
from regie.core.forms import apply_validation_error
from regie.core.paging import paginate
from regie.learning import selectors, services
from regie.learning.forms import (
    LessonFilterForm,
    LessonForm,
    ObstacleFilterForm,
    ObstacleForm,
    ObstacleLinkForm,
    ObstacleOwnerForm,
    ObstacleStepForm,
    ObstacleTransitionForm,
)
from regie.learning.models import Obstacle, ObstacleStep


def _log_choices(request, form) -> None:
    """A form that lists cases by household shows case data: each is logged as read."""
    field = form.fields.get("cases")
    if field is not None:
        ids = list(field.queryset.values_list("pk", flat=True))
        access_record(user=request.user, action=Action.READ, record_type="case", record_ids=ids)


def _case_from_query(request) -> list[int]:
    """A case the page was opened from (?case=), when the user may see it."""
    raw = request.GET.get("case", "")
    if raw.isdigit() and cases_visible_to(request.user).filter(pk=int(raw)).exists():
        return [int(raw)]
    return []


# -- lessons -----------------------------------------------------------------------------------


@login_required
def lesson_list(request):
    user = request.user
    selectors.require_reader(user)
    form = LessonFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    f = selectors.LessonFilter(
        q=data.get("q") or "",
        domain=data.get("domain") or "",
        partner=data["partner"].pk if data.get("partner") else None,
        measure=data["measure"].pk if data.get("measure") else None,
    )
    page_obj = paginate(selectors.lessons(user, f), request.GET.get("page"), settings.REGIE_PAGE_SIZE)
    rows = list(page_obj)
    for lesson in rows:
        lesson.domain_labels = selectors.domain_labels(lesson.domains)
    return render(
        request,
        "learning/lessons.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": rows,
            "searched": bool(request.GET),
            "may_record": services.may_record(user),
        },
    )


@login_required
def lesson_detail(request, pk: int):
    user = request.user
    selectors.require_reader(user)
    lesson = selectors.lesson_for(user, pk)
    return render(
        request,
        "learning/lesson.html",
        {
            "lesson": lesson,
            "domain_labels": selectors.domain_labels(lesson.domains),
            "links": selectors.linked_cases(user, lesson),
            "may_edit": services.may_edit_lesson(user, lesson),
        },
    )


def _lesson_form_page(request, form, *, lesson=None, status=200):
    _log_choices(request, form)
    return render(request, "learning/lesson_form.html", {"form": form, "lesson": lesson}, status=status)


def _lesson_args(d: dict) -> dict:
    return {
        "title": d["title"],
        "what_happened": d["what_happened"],
        "what_worked": d["what_worked"],
        "next_time": d["next_time"],
        "domains": d["domains"],
        "partners": d["partners"],
        "measures": d["measures"],
        "cases": d["cases"],
    }


@login_required
def lesson_new(request):
    user = request.user
    selectors.require_reader(user)
    if request.method != "POST":
        preselect = _case_from_query(request)
        form = LessonForm(user=user, include_cases=preselect, initial={"cases": preselect})
        return _lesson_form_page(request, form)
    form = LessonForm(request.POST, user=user)
    if form.is_valid():
        try:
            lesson = services.lesson_record(
                by=user, team=form.cleaned_data.get("team"), **_lesson_args(form.cleaned_data)
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Lesson recorded"))
            return redirect("learning:lesson", pk=lesson.pk)
    return _lesson_form_page(request, form, status=400)


@login_required
def lesson_edit(request, pk: int):
    user = request.user
    selectors.require_reader(user)
    lesson = selectors.lesson_for(user, pk)
    if not services.may_edit_lesson(user, lesson):
        raise PermissionDenied
    linked = list(cases_visible_to(user).filter(lessons=lesson).values_list("pk", flat=True))
    if request.method != "POST":
        initial = {
            "title": lesson.title,
            "what_happened": lesson.what_happened,
            "what_worked": lesson.what_worked,
            "next_time": lesson.next_time,
            "domains": lesson.domains,
            "partners": list(lesson.partners.values_list("pk", flat=True)),
            "measures": list(lesson.measures.values_list("pk", flat=True)),
            "cases": linked,
        }
        form = LessonForm(user=user, include_cases=linked, initial=initial)
        form.fields.pop("team", None)
        return _lesson_form_page(request, form, lesson=lesson)
    form = LessonForm(request.POST, user=user, include_cases=linked)
    form.fields.pop("team", None)
    if form.is_valid():
        try:
            services.lesson_update(lesson=lesson, by=user, **_lesson_args(form.cleaned_data))
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Lesson saved"))
            return redirect("learning:lesson", pk=lesson.pk)
    return _lesson_form_page(request, form, lesson=lesson, status=400)


# -- obstacles ---------------------------------------------------------------------------------


@login_required
def obstacle_list(request):
    user = request.user
    selectors.require_reader(user)
    mine = user.teams.order_by("name").first()
    form = ObstacleFilterForm(request.GET or None, initial={"team": mine.pk if mine else None})
    if request.GET:
        data = form.cleaned_data if form.is_valid() else {}
        team = data.get("team")
    else:
        data, team = {}, mine
    f = selectors.ObstacleFilter(
        team=team.pk if team else None, status=data.get("status") or "", where=data.get("where") or ""
    )
    page_obj = paginate(selectors.obstacles(user, f), request.GET.get("page"), settings.REGIE_PAGE_SIZE)
    return render(
        request,
        "learning/obstacles.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": list(page_obj),
            "team": team,
            "filter": f,
            "today": timezone.localdate(),
            "may_record": services.may_record(user),
        },
    )


def _obstacle_page(request, obstacle: Obstacle, *, forms=None, status=200):
    user = request.user
    forms = forms or {}
    may_manage = services.may_manage_obstacle(user, obstacle)
    ctx = {
        "obstacle": obstacle,
        "links": selectors.linked_cases(user, obstacle),
        "steps": selectors.obstacle_steps(obstacle),
        "may_manage": may_manage,
        "today": timezone.localdate(),
        "allowed": [Obstacle.Status(s).label for s in services.allowed_next(obstacle.status)],
    }
    if may_manage:
        if services.allowed_next(obstacle.status):
            ctx["transition_form"] = forms.get("transition") or ObstacleTransitionForm(obstacle=obstacle)
        if obstacle.status != Obstacle.Status.RESOLVED:
            ctx["step_form"] = forms.get("step") or ObstacleStepForm()
        ctx["owner_form"] = forms.get("owner") or ObstacleOwnerForm(obstacle=obstacle)
    if services.may_link_to_obstacle(user, obstacle):
        link_form = forms.get("link") or ObstacleLinkForm(user=user, obstacle=obstacle)
        if link_form.fields["cases"].queryset.exists():
            ctx["link_form"] = link_form
            _log_choices(request, link_form)
    return render(request, "learning/obstacle.html", ctx, status=status)


@login_required
def obstacle_detail(request, pk: int):
    selectors.require_reader(request.user)
    return _obstacle_page(request, selectors.obstacle_for(request.user, pk))


@login_required
def obstacle_new(request):
    user = request.user
    selectors.require_reader(user)
    if request.method != "POST":
        preselect = _case_from_query(request)
        form = ObstacleForm(user=user, include_cases=preselect, initial={"cases": preselect})
        status = 200
    else:
        form = ObstacleForm(request.POST, user=user)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                obstacle = services.obstacle_raise(
                    by=user,
                    team=d.get("team"),
                    title=d["title"],
                    description=d["description"],
                    where=d["where"],
                    outside=d["outside"],
                    partner=d["partner"],
                    cases=d["cases"],
                )
            except ValidationError as err:
                apply_validation_error(form, err)
            else:
                messages.success(request, _("Obstacle raised; the team's manager owns it."))
                return redirect("learning:obstacle", pk=obstacle.pk)
    _log_choices(request, form)
    return render(request, "learning/obstacle_form.html", {"form": form}, status=status)


def _obstacle_post(request, pk: int, *, key: str, make_form, call, success: str, need_manage: bool = True):
    user = request.user
    selectors.require_reader(user)
    obstacle = selectors.obstacle_for(user, pk)
    allowed = (
        services.may_manage_obstacle(user, obstacle) if need_manage else services.may_link_to_obstacle(user, obstacle)
    )
    if not allowed:
        raise PermissionDenied
    form = make_form(obstacle)
    if form.is_valid():
        try:
            call(obstacle, form.cleaned_data)
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, success)
            return redirect(reverse("learning:obstacle", args=[obstacle.pk]))
    return _obstacle_page(request, obstacle, forms={key: form}, status=400)


@login_required
@require_POST
def obstacle_transition(request, pk: int):
    def call(obstacle, d):
        services.obstacle_transition(
            obstacle=obstacle, to_status=d["status"], by=request.user, note=d["note"], resolution=d["resolution"]
        )

    return _obstacle_post(
        request,
        pk,
        key="transition",
        make_form=lambda o: ObstacleTransitionForm(request.POST, obstacle=o),
        call=call,
        success=_("Status changed"),
    )


@login_required
@require_POST
def obstacle_step(request, pk: int):
    def call(obstacle, d):
        services.obstacle_step_add(obstacle=obstacle, text=d["text"], due=d["due"], by=request.user)

    return _obstacle_post(
        request, pk, key="step", make_form=lambda o: ObstacleStepForm(request.POST), call=call, success=_("Step added")
    )


@login_required
@require_POST
def obstacle_assign(request, pk: int):
    def call(obstacle, d):
        services.obstacle_assign(obstacle=obstacle, owner=d["owner"], by=request.user)

    return _obstacle_post(
        request,
        pk,
        key="owner",
        make_form=lambda o: ObstacleOwnerForm(request.POST, obstacle=o),
        call=call,
        success=_("Owner changed"),
    )


@login_required
@require_POST
def obstacle_link(request, pk: int):
    def call(obstacle, d):
        services.obstacle_link_cases(obstacle=obstacle, cases=d["cases"], by=request.user)

    return _obstacle_post(
        request,
        pk,
        key="link",
        make_form=lambda o: ObstacleLinkForm(request.POST, user=request.user, obstacle=o),
        call=call,
        success=_("Cases linked"),
        need_manage=False,
    )


@login_required
@require_POST
def obstacle_step_done(request, pk: int, step_pk: int):
    user = request.user
    selectors.require_reader(user)
    obstacle = selectors.obstacle_for(user, pk)
    if not services.may_manage_obstacle(user, obstacle):
        raise PermissionDenied
    step = get_object_or_404(ObstacleStep, pk=step_pk, obstacle=obstacle)
    try:
        services.obstacle_step_done(step=step, by=user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Step done"))
    return redirect(reverse("learning:obstacle", args=[obstacle.pk]))


@login_required
def case_lessons(request, pk: int):
    """The case page's lessons and obstacles, loaded after the page (htmx); without htmx, a page
    of its own. A read of the case like the case page: 404 outside it, and on the access log."""
    from regie.cases.selectors import case_for
    from regie.learning.panels import case_context

    case = case_for(request.user, pk)
    may_contribute = request.user.has_perm("cases.contribute", case)
    ctx = {"case": case, **case_context(request, case, may_manage=False, may_contribute=may_contribute)}
    template = "learning/_case_lessons_body.html" if request.htmx else "learning/case_lessons.html"
    return render(request, template, ctx)

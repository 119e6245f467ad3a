"""What this app adds to the case page and the caseload (hooks called by regie.cases.views).

`case_context(request, case, *, may_manage, may_contribute)` returns extra context for the case
page: the self-sufficiency history (chart, table, change since intake), the goals with their
actions, the signature, and the side column's forms. `caseload_context(request)` adds nothing:
the caseload's action marks come with its urgency marks (cases.selectors.with_urgency).
"""

from django.utils import timezone

from regie.cases.panel_reads import reads_for
from regie.plans.charts import change_text, zrm_svg
from regie.plans.forms import ActionForm, GoalForm, SignForm
from regie.plans.selectors import (
    assessment_history,
    assessments_of,
    latest_signature,
    plan_digest,
    plan_goals,
    shield_history,
    signers,
)
from regie.plans.sensitivity import PLACEHOLDER, sees_sensitive


def plan_context(
    case, *, may_contribute: bool, sees_sensitive: bool = False, forms: dict | None = None, reads=None
) -> dict:
    """`sees_sensitive`: whether the reader reads the sensitive domains (plans.sensitivity); when
    not, their scores, notes and goals show a placeholder. Unsaid means not (fail closed)."""
    forms = forms or {}
    history = assessment_history(reads.assessments if reads else assessments_of(case))
    if not sees_sensitive:
        history = shield_history(history)
    goals = reads.goals if reads else plan_goals(case)
    signature = latest_signature(case) if reads is None or reads.has("signatures") else None
    ctx = {
        "sees_sensitive": sees_sensitive,
        "shielded_text": PLACEHOLDER,
        "zrm": history,
        "zrm_svg": zrm_svg(history),
        "zrm_changes": [(row, change_text(row.change)) for row in history.rows],
        "goals": goals,
        "today": timezone.localdate(),
        "signature": signature,
        "plan_changed_since_signed": bool(signature and signature.digest != plan_digest(case, goals)),
    }
    if may_contribute and case.is_open:
        ctx["goal_form"] = forms.get("goal") or GoalForm()
        ctx["action_form"] = forms.get("action") or ActionForm(case=case, goals=goals, sees_sensitive=sees_sensitive)
        if goals:
            ctx["sign_form"] = forms.get("sign") or SignForm(signers=signers(case))
    return ctx


def case_context(request, case, *, may_manage: bool, may_contribute: bool) -> dict:
    # A plan form that failed validation comes back through the request (plans.views._case_page_with).
    return plan_context(
        case,
        may_contribute=may_contribute,
        sees_sensitive=sees_sensitive(request.user, case),
        forms=getattr(request, "plan_forms", None),
        reads=reads_for(request, case),
    )


def caseload_context(request) -> dict:
    return {}

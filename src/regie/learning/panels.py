"""What lessons and obstacles add to the case page (a hook called by regie.cases.views; the
template learning/_case_lessons.html goes in the main column).

`case_context(request, case, *, may_manage, may_contribute)` returns the lessons suggested for the
case (sharing its domains, partners or measures, most shared first), the obstacles it is linked
to, and the links to record a lesson or raise an obstacle from it. The case page itself was
authorised and logged by `case_for`.
"""

from django.urls import reverse

from regie.cases.panel_reads import reads_for
from regie.learning.selectors import case_obstacles, case_tags_from, suggestions


def case_context(request, case, *, may_manage: bool, may_contribute: bool) -> dict:
    query = f"?case={case.pk}"
    reads = reads_for(request, case)
    tags = case_tags_from(
        goals=reads.goals, assessments=reads.assessments, referrals=reads.referrals, decisions=reads.decisions
    )
    return {
        "lesson_suggestions": suggestions(case, tags=tags),
        "case_obstacles": case_obstacles(case),
        "lesson_new_url": reverse("learning:lesson_new") + query if may_contribute else "",
        "obstacle_new_url": reverse("learning:obstacle_new") + query if may_contribute else "",
    }

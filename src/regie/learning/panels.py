"""What lessons and obstacles add to the case page. The case page draws only the section's
heading (learning/_case_lessons.html) and loads the rest after the page with htmx from
`learning:case_lessons` (learning/_case_lessons_body.html), which calls `case_context` here.

`case_context(request, case, *, may_manage, may_contribute)` returns the lessons suggested for the
case (sharing its domains, partners or measures, most shared first), the obstacles it is linked
to, and the links to record a lesson or raise an obstacle from it. The case page itself was
authorised and logged by `case_for`.
"""

from django.urls import reverse

from regie.learning.selectors import case_obstacles, case_tags, suggestions
from regie.plans.sensitivity import SENSITIVE_DOMAINS, sees_sensitive


def case_context(request, case, *, may_manage: bool, may_contribute: bool) -> dict:
    query = f"?case={case.pk}"
    tags = case_tags(case)
    if not sees_sensitive(request.user, case):
        # What the suggestions have "in common" with the case would name its sensitive domains.
        tags.domains -= SENSITIVE_DOMAINS
    return {
        "lesson_suggestions": suggestions(case, tags=tags),
        "case_obstacles": case_obstacles(case),
        "lesson_new_url": reverse("learning:lesson_new") + query if may_contribute else "",
        "obstacle_new_url": reverse("learning:obstacle_new") + query if may_contribute else "",
    }

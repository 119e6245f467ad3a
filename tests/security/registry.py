"""Every URL of Regie, walked from the resolver, and how to fill its path parameters with a record
of team A ("own") or team B ("other").

REGISTRY maps a URL name to {kwarg: record}. The record names an attribute of the team's records
(tests/security/world.py, TeamRecords) or, with a leading "*", one of the world's shared records
(the partner directory, the measure catalogue, an import run…) that belong to no team. A URL whose
parameters are all shared is requested once, in the "shared" column.

A URL with parameters that is missing here fails the matrix: add it, so that no new URL is ever
left out of the attack suite without anyone noticing.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

CASE = {"pk": "case"}
CASE_PK = {"case_pk": "case"}

REGISTRY: dict[str, dict[str, str]] = {
    # accounts
    "accounts:user_edit": {"pk": "user_record"},
    "accounts:user_second_factor_reset": {"pk": "user_record"},
    "accounts:user_sessions_end": {"pk": "user_record"},
    "accounts:my_session_end": {"pk": "session"},  # a session of team A's professional, or team B's
    # audit and privacy (the privacy officer's records)
    "audit:incident_resolve": {"pk": "*incident"},
    "privacy:request": {"pk": "subject_request"},
    "privacy:request_status": {"pk": "subject_request"},
    "privacy:request_extend": {"pk": "subject_request"},
    "privacy:request_erase": {"pk": "subject_request"},
    "privacy:request_export": {"pk": "subject_request", "fmt": "*export_format"},
    "privacy:hold_lift": {"pk": "hold"},
    "privacy:rule_edit": {"pk": "*retention_rule"},
    # housing and cases
    "housing:household": {"pk": "household"},
    "cases:open": {"household_pk": "household"},
    "cases:detail": CASE,
    "cases:transition": CASE,
    "cases:contact": CASE,
    "cases:transfer": CASE,
    "cases:member_add": CASE,
    "cases:member_remove": {"pk": "case", "member_pk": "member"},
    "cases:question": CASE,
    "cases:next_step": CASE,
    # signalling: the inbox works on households, the municipality on its signals, Beheer on runs
    "inbox:detail": {"pk": "inbox"},
    "inbox:open": {"pk": "inbox"},
    "inbox:dismiss": {"pk": "inbox"},
    "inbox:assign": {"pk": "inbox"},
    "inbox:link": {"pk": "inbox"},
    "inbox:acknowledge": {"pk": "case_signal"},
    "wgs:answer": {"pk": "municipality_signal"},
    "rules:version": {"version": "*rules_version"},
    "imports:detail": {"pk": "*import_run"},
    "imports:progress": {"pk": "*import_run"},
    "imports:confirm": {"pk": "*import_run"},
    "imports:cancel": {"pk": "*import_run"},
    "imports:download": {"pk": "*import_run", "name": "*import_file"},
    # network
    "network:organisation": {"pk": "*organisation"},
    "network:organisation_edit": {"pk": "*organisation"},
    "network:contact_new": {"pk": "*organisation"},
    "network:contact_edit": {"pk": "*contact_person"},
    "network:consent_new": CASE_PK,
    "network:consent_withdraw": {"case_pk": "case", "pk": "consent"},
    "network:consent_document": {"case_pk": "case", "pk": "consent"},
    "network:referral_new": CASE_PK,
    "network:referral_status": {"case_pk": "case", "pk": "referral"},
    # plans and aftercare
    "plans:work_item": {"pk": "action"},
    "plans:work_accept": {"pk": "action"},
    "plans:work_progress": {"pk": "action"},
    "plans:work_complete": {"pk": "action"},
    "plans:assess": CASE_PK,
    "plans:goal_add": CASE_PK,
    "plans:action_add": CASE_PK,
    "plans:pdf": CASE_PK,
    "plans:sign": CASE_PK,
    "plans:goal": {"pk": "goal"},
    "plans:action": {"pk": "action"},
    "plans:feed": {"token": "feed_token"},
    "aftercare:evaluation_plan": CASE_PK,
    "aftercare:evaluation_cancel": {"pk": "evaluation"},
    "aftercare:check": {"pk": "check"},
    # mandate
    "mandate:decide": CASE_PK,
    "mandate:reply": {"pk": "decision"},
    "mandate:withdraw": {"pk": "decision"},
    "mandate:spend": {"pk": "decision"},
    "mandate:answer": {"pk": "decision"},
    "mandate:measure_edit": {"pk": "*measure"},
    "mandate:budget_edit": {"pk": "budget"},
    # meetings
    "meetings:detail": {"pk": "meeting"},
    "meetings:draft": {"pk": "meeting"},
    "meetings:item_add": {"pk": "meeting"},
    "meetings:start": {"pk": "meeting"},
    "meetings:close": {"pk": "meeting"},
    "meetings:minutes": {"pk": "meeting"},
    "meetings:item_up": {"pk": "item"},
    "meetings:item_down": {"pk": "item"},
    "meetings:item_remove": {"pk": "item"},
    "meetings:item_record": {"pk": "item"},
    "meetings:item_action": {"pk": "item"},
    "meetings:put_forward": CASE_PK,
    "meetings:question_withdraw": {"pk": "question"},
    # learning
    "learning:case_lessons": CASE,
    "learning:lesson": {"pk": "lesson"},
    "learning:lesson_edit": {"pk": "lesson"},
    "learning:obstacle": {"pk": "obstacle"},
    "learning:obstacle_transition": {"pk": "obstacle"},
    "learning:obstacle_step": {"pk": "obstacle"},
    "learning:obstacle_step_done": {"pk": "obstacle", "step_pk": "step"},
    "learning:obstacle_assign": {"pk": "obstacle"},
    "learning:obstacle_link": {"pk": "obstacle"},
    # results
    "results:agreement": {"pk": "agreement"},
    "results:agreement_edit": {"pk": "agreement"},
    "results:agreement_delete": {"pk": "agreement"},
    "results:report_pdf": {"year": "*year"},
    "results:report_xlsx": {"year": "*year"},
    # the API
    "api-case-consents": CASE_PK,
    "api-case-consent-withdraw": {"case_pk": "case", "pk": "consent"},
    "api-case-referrals": CASE_PK,
    "api-case-referral-transition": {"case_pk": "case", "pk": "referral"},
    "api-organisation-detail": {"pk": "*organisation"},
    "api-plan-assessments": CASE_PK,
    "api-plan-goals": CASE_PK,
    "api-plan-actions": CASE_PK,
    "api-plan-goal": {"pk": "goal"},
    "api-plan-action": {"pk": "action"},
    "api-plan-action-transition": {"pk": "action"},
    "api-work-item": {"pk": "action"},
    "api-work-accept": {"pk": "action"},
    "api-work-progress": {"pk": "action"},
    "api-work-complete": {"pk": "action"},
    "api-case-evaluations": CASE,
    "api-case-aftercare-checks": CASE,
    "api-case-aftercare": CASE,
    "api-mandate-case-decisions": CASE_PK,
    "api-mandate-decision": {"pk": "decision"},
    "api-mandate-decision-answer": {"pk": "decision"},
    "api-mandate-decision-withdraw": {"pk": "decision"},
    "api-mandate-decision-spend": {"pk": "decision"},
    "api-meeting": {"pk": "meeting"},
    "api-meeting-agenda": {"pk": "meeting"},
    "api-meetings-put-forward": CASE_PK,
    "api-learning-lesson": {"pk": "lesson"},
    "api-learning-case-lessons": CASE_PK,
    "api-learning-obstacle": {"pk": "obstacle"},
    "api-learning-obstacle-transition": {"pk": "obstacle"},
    "api-learning-obstacle-steps": {"pk": "obstacle"},
    "api-results-agreement": {"pk": "agreement"},
    "api-household-detail": {"pk": "household"},
    "api-case-detail": CASE,
    "api-case-contacts": CASE,
    "api-case-transition": CASE,
    "api-signal-detail": {"pk": "inbox"},
    "api-signal-assign": {"pk": "inbox"},
    "api-signal-dismiss": {"pk": "inbox"},
    "api-signal-link": {"pk": "inbox"},
    "api-signal-open-case": {"pk": "inbox"},
    "api-import-detail": {"pk": "*import_run"},
    "api-import-cancel": {"pk": "*import_run"},
    "api-import-confirm": {"pk": "*import_run"},
    "api-import-download": {"pk": "*import_run", "name": "*import_file"},
}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "<unnamed> route" for a pattern without a name
    route: str
    kwargs: tuple[str, ...]

    @property
    def sides(self) -> tuple[str, ...]:
        """The columns this URL is requested in: own and other team, or once when it has nothing
        of a team in its path."""
        filled = REGISTRY.get(self.name, {})
        if self.kwargs and all(filled.get(k, "").startswith("*") for k in self.kwargs):
            return ("shared",)
        return ("own", "other") if self.kwargs else ("-",)

    @property
    def missing(self) -> list[str]:
        filled = REGISTRY.get(self.name, {})
        return [k for k in self.kwargs if k not in filled]


def routes() -> list[Route]:
    """Every URL pattern of the project, in URLconf order (each name once)."""
    found: dict[str, Route] = {}

    def walk(resolver, prefix: str, namespace: str | None, converters: dict) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace) if x) or None
                walk(p, prefix + str(p.pattern), ns, {**converters, **p.pattern.converters})
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or f"<unnamed> {route}")
                kwargs = tuple(converters) + tuple(p.pattern.converters)
                found.setdefault(name, Route(name=name, route=route, kwargs=kwargs))

    walk(get_resolver(), "", None, {})
    return list(found.values())


def fill(route: Route, world, side: str) -> dict:
    """The path parameters for a request as seen from team A: its own records, or team B's."""
    team = world.b if side == "other" else world.a
    values = {}
    for kwarg in route.kwargs:
        source = REGISTRY[route.name][kwarg]
        obj = getattr(world, source[1:]) if source.startswith("*") else getattr(team, source)
        values[kwarg] = getattr(obj, "pk", obj)
    return values

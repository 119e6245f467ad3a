"""What each role of team A may get from each URL, for its own team's record and for team B's.

An answer is one of: "ok" (2xx, a redirect that is not to the login page, or 400 for the empty
form/JSON after the access check passed), "404" (the need-to-know answer: forbidden looks like
missing), "403"/"405"/"409" where that is the deliberate answer (a note says why), "login" (a
redirect to the login page). Anything else, a 5xx above all, fails.

EXPECTED[url] = (policy, note). A policy maps a role to (own, other); for URLs without a team's
record in their path ("-" or "shared") the own value counts. Roles not named get ("404", "404").
"""

from tests.security.world import ROLES

OK, NF = "ok", "404"
BOTH = (OK, OK)
OWN = (OK, NF)


def policy(**roles: tuple[str, str]) -> dict[str, tuple[str, str]]:
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: roles.get(role, (NF, NF)) for role in ROLES}


EVERYONE = policy(**dict.fromkeys(ROLES, BOTH))
NOBODY = policy()
# Case content: the director (the professional of team A) and the team's manager, own team only.
CASE = policy(professional=OWN, manager=OWN)
READERS = policy(professional=BOTH, manager=BOTH)  # pages without a team's record in the path
ADMIN = policy(admin=BOTH)
PRIVACY = policy(privacy=BOTH)
MANAGER = policy(manager=BOTH)
MANAGEMENT = policy(manager=BOTH, admin=BOTH, board=BOTH)  # aggregate figures, no case content
APPROVERS = policy(manager=BOTH, board=BOTH)
WORK = policy(professional=BOTH, manager=BOTH, department=BOTH)
# A department serves every team: its colleague takes on his department's actions whichever team
# they come from (address and how to reach the household, never the case's notes).
DEPARTMENT_WORK = policy(department=BOTH)
# Lessons and obstacles are shared across the corporation (learning is the point); only the
# obstacle's own team's manager works it, and only the author edits a lesson.
SHARED_LEARNING = policy(professional=BOTH, manager=BOTH)
OBSTACLE_MANAGER = policy(professional=("403", "403"), manager=(OK, "403"))

DIRECTOR_NOT_MANAGER = policy(professional=OWN, manager=("403", NF))

EXPECTED: dict[str, tuple[dict, str]] = {
    "home": (EVERYONE, "each role's start page"),
    "login": (EVERYONE, "a logged-in user is sent on"),
    "logout": (policy(**dict.fromkeys(ROLES, ("login", "login"))), "POST only; back to the login page"),
    "set_language": (EVERYONE, ""),
    # accounts (Beheer)
    "accounts:users": (ADMIN, ""),
    "accounts:user_new": (ADMIN, ""),
    "accounts:user_edit": (ADMIN, "the administrator keeps the accounts of every team"),
    "accounts:districts": (ADMIN, ""),
    "accounts:user_second_factor_reset": (ADMIN, ""),
    "accounts:user_sessions_end": (ADMIN, ""),
    # accounts (one's own)
    "accounts:second_step": (EVERYONE, "a verified session is sent on"),
    "accounts:account": (EVERYONE, ""),
    "accounts:enrol": (EVERYONE, ""),
    "accounts:recovery_codes": (EVERYONE, "POST only: new codes for oneself"),
    "accounts:my_session_end": (policy(professional=OWN), "one's own other sessions only (own = the professional's)"),
    "accounts:oidc_login": (NOBODY, "single sign-on is off here: 404"),
    "accounts:oidc_callback": (NOBODY, "single sign-on is off here: 404"),
    "accounts:login_failures": (PRIVACY, ""),
    # housing and cases
    "housing:search": (READERS, "searches within the reader's own area"),
    "housing:household": (CASE, ""),
    "cases:caseload": (READERS, ""),
    "cases:open": (CASE, ""),
    "cases:detail": (CASE, ""),
    "cases:transition": (CASE, ""),
    "cases:contact": (CASE, ""),
    "cases:transfer": (CASE, ""),
    "cases:member_add": (CASE, ""),
    "cases:member_remove": (CASE, ""),
    "cases:question": (CASE, ""),
    "cases:next_step": (CASE, ""),
    "cases:emergency": (READERS, ""),
    # the access log
    "audit:log": (PRIVACY, ""),
    "audit:signals": (PRIVACY, ""),
    "audit:person": (PRIVACY, ""),
    "audit:incident_resolve": (PRIVACY, ""),
    # privacy: the privacy officer handles the requests of every household
    "privacy:requests": (PRIVACY, ""),
    "privacy:request_new": (PRIVACY, ""),
    "privacy:request": (PRIVACY, "every household's request"),
    "privacy:request_status": (PRIVACY, "every household's request"),
    "privacy:request_extend": (PRIVACY, "every household's request"),
    "privacy:request_erase": (PRIVACY, "every household's request"),
    "privacy:request_export": (PRIVACY, "every household's request"),
    "privacy:holds": (PRIVACY, ""),
    "privacy:hold_lift": (PRIVACY, "every household's hold"),
    "privacy:retention": (policy(admin=BOTH, privacy=BOTH), ""),
    "privacy:rule_edit": (policy(admin=BOTH, privacy=BOTH), ""),
    # signalling
    "inbox:list": (READERS, ""),
    "inbox:run": (READERS, ""),
    "inbox:detail": (CASE, ""),
    "inbox:open": (CASE, ""),
    "inbox:dismiss": (CASE, ""),
    "inbox:assign": (CASE, ""),
    "inbox:link": (CASE, ""),
    "inbox:acknowledge": (CASE, ""),
    "wgs:review": (MANAGER, "collections colleagues and managers; the department user here is maintenance"),
    "wgs:send": (NOBODY, "only a collections colleague sends"),
    "wgs:sent": (MANAGER, ""),
    "wgs:answer": (NOBODY, "only a collections colleague records the municipality's answer"),
    "wgs:export": (MANAGER, ""),
    "rules:edit": (ADMIN, ""),
    "rules:version": (ADMIN, ""),
    "imports:list": (ADMIN, ""),
    "imports:detail": (ADMIN, ""),
    "imports:progress": (ADMIN, ""),
    "imports:confirm": (ADMIN, ""),
    "imports:cancel": (ADMIN, ""),
    "imports:download": (NOBODY, "the run has no output files: 404 for all"),
    # network
    "network:directory": (EVERYONE, "the sociale kaart is for every colleague"),
    "network:organisation": (EVERYONE, "lists only the cases the reader may see"),
    "network:organisation_new": (ADMIN, ""),
    "network:organisation_edit": (ADMIN, ""),
    "network:contact_new": (ADMIN, ""),
    "network:contact_edit": (ADMIN, ""),
    "network:consent_new": (CASE, ""),
    "network:consent_withdraw": (CASE, ""),
    "network:consent_document": (CASE, ""),
    "network:referral_new": (CASE, ""),
    "network:referral_status": (CASE, ""),
    # plans and aftercare
    "plans:worklist": (WORK, ""),
    "plans:work_item": (DEPARTMENT_WORK, "a department serves every team"),
    "plans:work_accept": (DEPARTMENT_WORK, "a department serves every team"),
    "plans:work_progress": (DEPARTMENT_WORK, "a department serves every team"),
    "plans:work_complete": (DEPARTMENT_WORK, "a department serves every team"),
    "plans:assess": (CASE, ""),
    "plans:goal_add": (CASE, ""),
    "plans:action_add": (CASE, ""),
    "plans:pdf": (CASE, ""),
    "plans:sign": (CASE, ""),
    "plans:goal": (CASE, ""),
    "plans:action": (CASE, ""),
    "plans:calendar": (WORK, ""),
    "plans:feed": (EVERYONE, "the secret token in the URL is the credential (revocable)"),
    "aftercare:evaluation_plan": (CASE, ""),
    "aftercare:evaluation_cancel": (CASE, ""),
    "aftercare:check": (CASE, ""),
    # mandate
    "mandate:decide": (CASE, ""),
    "mandate:reply": (DIRECTOR_NOT_MANAGER, "403: the manager sees the decision but only its director replies"),
    "mandate:withdraw": (DIRECTOR_NOT_MANAGER, "403: the manager sees the decision but only its director withdraws"),
    "mandate:spend": (CASE, ""),
    "mandate:approvals": (APPROVERS, ""),
    "mandate:answer": (policy(manager=OWN), "the decision waits for the manager's level; the board's has none"),
    "mandate:overview": (APPROVERS, ""),
    "mandate:admin": (ADMIN, ""),
    "mandate:measure_new": (ADMIN, ""),
    "mandate:measure_edit": (ADMIN, ""),
    "mandate:limits": (ADMIN, ""),
    "mandate:budget_new": (ADMIN, ""),
    "mandate:budget_edit": (ADMIN, "the administrator keeps every team's budget"),
    # meetings
    "meetings:list": (READERS, ""),
    "meetings:rhythm": (MANAGER, ""),
    "meetings:plan": (READERS, ""),
    "meetings:detail": (CASE, ""),
    "meetings:draft": (CASE, ""),
    "meetings:item_add": (CASE, ""),
    "meetings:start": (CASE, ""),
    "meetings:close": (CASE, ""),
    "meetings:minutes": (NOBODY, "minutes exist once the meeting is closed: 404 for all here"),
    "meetings:item_up": (CASE, ""),
    "meetings:item_down": (CASE, ""),
    "meetings:item_remove": (CASE, ""),
    "meetings:item_record": (CASE, ""),
    "meetings:item_action": (CASE, ""),
    "meetings:put_forward": (CASE, ""),
    "meetings:question_withdraw": (CASE, ""),
    # learning
    "learning:lessons": (READERS, ""),
    "learning:lesson_new": (READERS, ""),
    "learning:case_lessons": (CASE, ""),
    "learning:lesson": (SHARED_LEARNING, "lessons are shared across teams; linked cases only if visible"),
    "learning:lesson_edit": (
        policy(professional=(OK, "403"), manager=(OK, "403")),
        "403: readable, but only its author (or his team's manager) edits",
    ),
    "learning:obstacles": (READERS, ""),
    "learning:obstacle_new": (READERS, ""),
    "learning:obstacle": (SHARED_LEARNING, "obstacles are shared across teams; linked cases only if visible"),
    "learning:obstacle_transition": (OBSTACLE_MANAGER, "403: readable, but only its team's manager works it"),
    "learning:obstacle_step": (OBSTACLE_MANAGER, "403: readable, but only its team's manager works it"),
    "learning:obstacle_step_done": (OBSTACLE_MANAGER, "403: readable, but only its team's manager works it"),
    "learning:obstacle_assign": (OBSTACLE_MANAGER, "403: readable, but only its team's manager works it"),
    "learning:obstacle_link": (
        policy(professional=(OK, "403"), manager=(OK, "403")),
        "403: only the obstacle's own team links its cases",
    ),
    # results
    "results:dashboard": (MANAGEMENT, "aggregate figures"),
    "results:mine": (READERS, ""),
    "results:agreement_new": (MANAGER, ""),
    "results:agreement": (CASE, ""),
    "results:agreement_edit": (
        policy(professional=("403", NF), manager=OWN),
        "403: the professional reads his own agreement; his manager changes it",
    ),
    "results:agreement_delete": (
        policy(professional=("403", NF), manager=OWN),
        "403: the professional reads his own agreement; his manager changes it",
    ),
    "results:report_pdf": (MANAGEMENT, "aggregate figures"),
    "results:report_xlsx": (MANAGEMENT, "aggregate figures"),
    # the API
    "api-schema": (EVERYONE, ""),
    "api-docs": (EVERYONE, ""),
    "api-case-consents": (CASE, ""),
    "api-case-consent-withdraw": (CASE, ""),
    "api-case-referrals": (CASE, ""),
    "api-case-referral-transition": (CASE, ""),
    "api-organisation-list": (EVERYONE, ""),
    "api-organisation-detail": (EVERYONE, ""),
    "api-plan-assessments": (CASE, ""),
    "api-plan-goals": (CASE, ""),
    "api-plan-actions": (CASE, ""),
    "api-plan-goal": (CASE, ""),
    "api-plan-action": (CASE, ""),
    "api-plan-action-transition": (CASE, ""),
    "api-worklist": (WORK, ""),
    "api-work-item": (DEPARTMENT_WORK, "a department serves every team"),
    "api-work-accept": (DEPARTMENT_WORK, "a department serves every team"),
    "api-work-progress": (DEPARTMENT_WORK, "a department serves every team"),
    "api-work-complete": (DEPARTMENT_WORK, "a department serves every team"),
    "api-case-evaluations": (CASE, ""),
    "api-case-aftercare-checks": (CASE, ""),
    "api-case-aftercare": (CASE, ""),
    "api-mandate-measures": (EVERYONE, "the catalogue is no secret"),
    "api-mandate-limits": (EVERYONE, "the limits are no secret"),
    "api-mandate-pending": (EVERYONE, "lists only what the caller may approve (empty for most)"),
    "api-mandate-budgets": (EVERYONE, "lists only the caller's teams' budgets"),
    "api-mandate-case-decisions": (CASE, ""),
    "api-mandate-decision": (CASE, ""),
    "api-mandate-decision-answer": (CASE, "the director's 400 is the empty input; with an answer he gets 403"),
    "api-mandate-decision-withdraw": (DIRECTOR_NOT_MANAGER, "403: only the decision's director withdraws"),
    "api-mandate-decision-spend": (CASE, ""),
    "api-meetings": (EVERYONE, "lists only the caller's teams' meetings"),
    "api-meeting": (CASE, ""),
    "api-meeting-agenda": (CASE, ""),
    "api-meetings-put-forward": (CASE, ""),
    "api-learning-lessons": (READERS, ""),
    "api-learning-lesson": (SHARED_LEARNING, "lessons are shared across teams"),
    "api-learning-case-lessons": (CASE, ""),
    "api-learning-obstacles": (READERS, ""),
    "api-learning-obstacle": (SHARED_LEARNING, "obstacles are shared across teams"),
    # The API validates the input before the manager check; test_auth_attacks sends a valid
    # request to the other team's obstacle and gets 403.
    "api-learning-obstacle-transition": (SHARED_LEARNING, "400 for the empty input before the 403 (see attacks)"),
    "api-learning-obstacle-steps": (SHARED_LEARNING, "400 for the empty input before the 403 (see attacks)"),
    "api-results-agreements": (EVERYONE, "lists only the caller's own or managed agreements"),
    "api-results-agreement": (CASE, ""),
    "api-results-dashboard": (MANAGEMENT, "aggregate figures"),
    "api-household-list": (EVERYONE, "lists only what the caller may see (empty for most)"),
    "api-household-search": (EVERYONE, "400 for the empty input; finds only what the caller may see"),
    "api-household-detail": (CASE, ""),
    "api-case-list": (EVERYONE, "lists only what the caller may see (empty for most)"),
    "api-case-detail": (CASE, ""),
    "api-case-contacts": (CASE, ""),
    "api-case-transition": (CASE, ""),
    "api-signal-list": (READERS, ""),
    "api-signal-detect": (READERS, ""),
    "api-signal-detail": (CASE, ""),
    "api-signal-assign": (CASE, ""),
    "api-signal-dismiss": (CASE, ""),
    "api-signal-link": (CASE, ""),
    "api-signal-open-case": (CASE, ""),
    "api-import-list": (ADMIN, ""),
    "api-import-detail": (ADMIN, ""),
    "api-import-cancel": (ADMIN, ""),
    "api-import-confirm": (policy(admin=("409", "409")), "409: the run was never checked, so it can't be confirmed"),
    "api-import-download": (NOBODY, "the run has no output files: 404 for all"),
}

# Team B's marker strings a user of team A may see on a URL, because the record itself is shared
# across teams by design; everything else of team B must never show (the linked case, the
# household, the question…).
MARKERS_ALLOWED: dict[str, set[str]] = {
    "plans:feed": {"*"},  # whoever holds the secret link gets the feed
    # The privacy officer answers every data subject's request (AVG art. 15: everything we hold);
    # only he reaches these pages, which the status columns check.
    "privacy:request": {"*"},
    "privacy:request_status": {"*"},
    "privacy:request_extend": {"*"},
    "privacy:request_export": {"*"},
    "plans:worklist": {"household", "street", "tenant", "action"},
    "api-worklist": {"household", "street", "tenant", "action"},
    "plans:work_item": {"household", "street", "tenant", "action"},
    "plans:work_progress": {"household", "street", "tenant", "action"},
    "plans:work_complete": {"household", "street", "tenant", "action"},
    "api-work-item": {"household", "street", "tenant", "action"},
    "plans:work_accept": {"household", "street", "tenant", "action"},
    "api-work-accept": {"household", "street", "tenant", "action"},
    "learning:lessons": {"lesson"},
    "api-learning-lessons": {"lesson"},
    "learning:obstacles": {"obstacle"},
    "api-learning-obstacles": {"obstacle"},
    "learning:lesson": {"lesson"},
    "api-learning-lesson": {"lesson"},
    "learning:obstacle": {"obstacle", "step"},
    "api-learning-obstacle": {"obstacle", "step"},
}

# Known findings: cells that do not answer as they should yet. Each is marked xfail(strict=True),
# so the suite stays green while the finding is open and goes red the day it is fixed (then take
# it out of here). Keep this list short, and tell the lead about every entry.
FINDINGS: dict[tuple[str, str, str], str] = {
    # (url name, role, side): why the cell is a known gap, kept as a strict xfail until fixed.
}


def expected_for(url: str, role: str, side: str) -> tuple[str, str]:
    roles, note = EXPECTED[url]
    own, other = roles[role]
    return (other if side == "other" else own), note


def leaks(url: str, markers: dict[str, str], body: str) -> list[str]:
    allowed = MARKERS_ALLOWED.get(url, set())
    if "*" in allowed:
        return []
    return [value for key, value in markers.items() if key not in allowed and value in body]

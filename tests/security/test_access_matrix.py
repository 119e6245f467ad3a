"""The authorisation matrix: every URL of Regie (web and API, walked from the resolver) × every
role (six users of team A) × a record of team A and a record of team B. Each answer is checked
against EXPECTED (tests/security/expected.py), no answer to a user of team A may carry team B's
marker strings, and the whole matrix is printed at the end of the run (conftest.py)."""

import pytest
from django.urls import reverse

from tests.security.expected import EXPECTED, FINDINGS, expected_for, leaks
from tests.security.probe import request
from tests.security.registry import REGISTRY, fill, routes
from tests.security.report import Row
from tests.security.world import ROLES

pytestmark = pytest.mark.django_db

ROUTES = {r.name: r for r in routes()}
CASES = [
    pytest.param(
        r.name,
        role,
        side,
        id=f"{r.name}-{role}-{side}",
        marks=[pytest.mark.xfail(strict=True, reason=FINDINGS[r.name, role, side])]
        if (r.name, role, side) in FINDINGS
        else [],
    )
    for r in ROUTES.values()
    for side in r.sides
    for role in ROLES
]


def test_every_url_is_in_the_registry_and_the_expectations():
    """A new URL must be added to registry.py (when it has parameters) and expected.py, never
    silently skipped."""
    missing = [f"add {r.name} to the registry (kwargs {', '.join(r.missing)})" for r in ROUTES.values() if r.missing]
    missing += [f"add {name} to EXPECTED" for name in ROUTES if name not in EXPECTED]
    assert not missing, "\n".join(missing)
    stale = sorted((set(REGISTRY) | set(EXPECTED)) - set(ROUTES))
    assert not stale, f"no such URL any more, take it out of registry.py/expected.py: {stale}"


@pytest.mark.parametrize(("url", "role", "side"), CASES)
def test_access(url, role, side, sec_world, role_clients, access_collector):
    route = ROUTES[url]
    assert not route.missing, f"add {url} to the registry (tests/security/registry.py): {route.missing}"
    path = reverse(url, kwargs=fill(route, sec_world, side)) if route.kwargs else reverse(url)
    answer = request(role_clients(role), path)
    # Without an expectation the request still runs, so the table shows what to write down.
    want, note = expected_for(url, role, side) if url in EXPECTED else ("?", "add to expected.py")
    leaked = leaks(url, sec_world.b.markers, answer.body)
    problems = []
    if want == "?":
        problems.append(f"add {url} to EXPECTED (tests/security/expected.py); it answered {answer.got}")
    elif answer.outcome != want:
        problems.append(f"answered {answer.got}, expected {want}")
    if leaked:
        problems.append(f"shows team B's data: {leaked}")
    if (url, role, side) in FINDINGS:
        note = f"FINDING: {FINDINGS[url, role, side]}"
    access_collector.add(
        Row(url=url, side=side, role=role, got=answer.got, expected=want, passed=not problems, note=note)
    )
    assert not problems, f"{url} as {role} ({side}): " + "; ".join(problems)

"""Obstacles (knelpunten): raising, the owner (a manager of the team), the status flow with its
refusals, the resolution, steps, the case count and the pages."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from regie.accounts.models import Role
from regie.audit.models import AccessLogEntry
from regie.learning import services
from regie.learning.models import Obstacle
from regie.learning.selectors import ObstacleFilter, case_obstacles, obstacle_for, obstacles
from regie.network.models import Organisation
from tests.factories import TenancyFactory, UnitFactory, UserFactory, open_case

S = Obstacle.Status


def raise_(by, title="Wachtlijst schuldhulp", **kw):
    kw.setdefault("where", "procedure")
    return services.obstacle_raise(by=by, title=title, description="Drie maanden wachten.", **kw)


def a_case(w, director=None):
    d = director or w.pro_n
    area = w.north if d.teams.filter(pk=w.team_n.pk).exists() else w.south
    return open_case(household=TenancyFactory(unit=UnitFactory(area=area)), director=d)


def test_raise_owner_is_a_manager_of_the_team(world):
    o = raise_(world.pro_n, cases=[a_case(world), a_case(world)])
    assert o.team == world.team_n and o.owner == world.mgr_n and o.status == S.RAISED
    assert o.cases.count() == 2
    assert o.steps.get().status == S.RAISED
    # Reassign to another manager of the team; not to a professional or another team's manager.
    other = UserFactory(username="mgr-n2", role=Role.MANAGER, teams=[world.team_n])
    services.obstacle_assign(obstacle=o, owner=other, by=world.mgr_n)
    assert Obstacle.objects.get(pk=o.pk).owner == other
    for wrong in (world.pro_n, world.mgr_s):
        with pytest.raises(ValidationError):
            services.obstacle_assign(obstacle=o, owner=wrong, by=world.mgr_n)
    with pytest.raises(PermissionDenied):
        services.obstacle_assign(obstacle=o, owner=other, by=world.pro_n)


def test_raise_checks(world):
    with pytest.raises(ValidationError) as err:
        raise_(world.pro_n, where="partner")
    assert "partner" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        raise_(world.pro_n, cases=[a_case(world, world.pro_s)])
    assert "cases" in err.value.message_dict
    with pytest.raises(ValidationError):
        raise_(world.pro_n, team=world.team_s)
    with pytest.raises(PermissionDenied):
        raise_(world.colleague)
    org = Organisation.objects.create(kind="partner", partner_type="debt", name="Kredietbank")
    o = raise_(world.pro_n, where="partner", partner=org, outside=True)
    assert o.partner == org and o.outside


def test_the_flow(world):
    o = raise_(world.pro_n)
    m = world.mgr_n
    # Only the team's managers work it.
    for who in (world.pro_n, world.mgr_s):
        with pytest.raises(PermissionDenied):
            services.obstacle_transition(obstacle=o, to_status=S.IN_PROGRESS, by=who)
    # Raised can't jump to resolved; the refusal names the allowed moves.
    with pytest.raises(ValidationError) as err, translation.override("en"):
        services.obstacle_transition(obstacle=o, to_status=S.RESOLVED, by=m, resolution="x")
    text = " ".join(err.value.message_dict["status"])
    assert "Being worked on" in text and "Cannot be solved now" in text
    o = services.obstacle_transition(obstacle=o, to_status=S.IN_PROGRESS, by=m, note="Ik bel de directeur")
    assert o.status == S.IN_PROGRESS
    # Resolving needs the resolution.
    with pytest.raises(ValidationError) as err:
        services.obstacle_transition(obstacle=o, to_status=S.RESOLVED, by=m, note="klaar")
    assert "resolution" in err.value.message_dict
    o = services.obstacle_transition(obstacle=o, to_status=S.RESOLVED, by=m, resolution="Voorrangsroute afgesproken")
    assert o.status == S.RESOLVED and o.resolution == "Voorrangsroute afgesproken" and o.resolved_at
    # Resolved is final.
    with pytest.raises(ValidationError) as err, translation.override("en"):
        services.obstacle_transition(obstacle=o, to_status=S.IN_PROGRESS, by=m)
    assert "raise a new one" in " ".join(err.value.message_dict["status"])
    assert [s.status for s in o.steps.all()] == [S.RAISED, S.IN_PROGRESS, S.RESOLVED]


def test_not_solvable_needs_a_reason_and_can_be_picked_up_again(world):
    o = raise_(world.pro_n)
    with pytest.raises(ValidationError) as err:
        services.obstacle_transition(obstacle=o, to_status=S.NOT_SOLVABLE, by=world.mgr_n)
    assert "note" in err.value.message_dict
    o = services.obstacle_transition(obstacle=o, to_status=S.NOT_SOLVABLE, by=world.mgr_n, note="Landelijke wet")
    assert o.resolution == "Landelijke wet" and o.resolved_at
    o = services.obstacle_transition(obstacle=o, to_status=S.IN_PROGRESS, by=world.mgr_n, note="Wet gewijzigd")
    assert o.status == S.IN_PROGRESS and o.resolved_at is None


def test_transition_table_is_complete():
    assert set(services.TRANSITIONS) == set(S.values)
    for targets in services.TRANSITIONS.values():
        assert set(targets) <= set(S.values)


def test_steps(world):
    o = raise_(world.pro_n)
    step = services.obstacle_step_add(obstacle=o, text="Overleg met Kredietbank", due=date(2030, 1, 1), by=world.mgr_n)
    assert step.due == date(2030, 1, 1) and step.done_at is None
    with pytest.raises(PermissionDenied):
        services.obstacle_step_add(obstacle=o, text="x", by=world.pro_n)
    with pytest.raises(ValidationError):
        services.obstacle_step_add(obstacle=o, text=" ", by=world.mgr_n)
    services.obstacle_step_done(step=step, by=world.mgr_n)
    step.refresh_from_db()
    assert step.done_at is not None


def test_case_count_and_list_filters(world):
    o1 = raise_(world.pro_n, title="Een", cases=[a_case(world), a_case(world), a_case(world)])
    o2 = raise_(world.pro_s, title="Twee", cases=[a_case(world, world.pro_s)])
    services.obstacle_transition(obstacle=o2, to_status=S.IN_PROGRESS, by=world.mgr_s)
    o3 = raise_(world.pro_n, title="Drie")
    services.obstacle_transition(obstacle=o3, to_status=S.NOT_SOLVABLE, by=world.mgr_n, note="Nee")
    rows = {o.title: o.case_count for o in obstacles(world.pro_n, ObstacleFilter(status="all"))}
    assert rows == {"Een": 3, "Twee": 1, "Drie": 0}
    assert [o.title for o in obstacles(world.pro_n, ObstacleFilter(team=world.team_n.pk))] == ["Een"]
    assert [o.title for o in obstacles(world.pro_n, ObstacleFilter(status=S.IN_PROGRESS))] == ["Twee"]
    assert obstacle_for(world.pro_s, o1.pk).case_count == 3  # the count shows to everyone
    # Linking more cases later: the team's members, cases they may see.
    case = a_case(world, world.pro_n2)
    services.obstacle_link_cases(obstacle=o1, cases=[case], by=world.pro_n2)
    assert obstacle_for(world.pro_n, o1.pk).case_count == 4
    assert case_obstacles(case) == [o1]
    with pytest.raises(PermissionDenied):
        services.obstacle_link_cases(obstacle=o1, cases=[], by=world.pro_s)


def test_pages(world, client):
    mine = a_case(world)
    o = raise_(world.pro_n, cases=[mine])
    client.force_login(world.colleague)
    assert client.get("/leren/knelpunten/").status_code == 404
    client.force_login(world.pro_n)
    body = client.get("/leren/knelpunten/").content.decode()
    assert o.title in body and 'class="num">1<' in body
    body = client.get(f"/leren/knelpunten/{o.pk}/").content.decode()
    assert mine.household.name in body and "status/" not in body  # no status form for a professional
    assert client.post(f"/leren/knelpunten/{o.pk}/status/", {"status": "in_progress"}).status_code == 403
    # Another team's professional reads it, without the case.
    client.force_login(world.pro_s)
    body = client.get(f"/leren/knelpunten/{o.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert mine.household.name not in body and "touches 1 case" in body
    # The manager works it; a refused move comes back with the allowed ones.
    client.force_login(world.mgr_n)
    url = f"/leren/knelpunten/{o.pk}/"
    assert client.get(url).status_code == 200
    r = client.post(url + "status/", {"status": "in_progress", "note": "Opgepakt"})
    assert r.status_code == 302
    r = client.post(url + "status/", {"status": "resolved", "resolution": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "Record how the obstacle was resolved" in r.content.decode()
    r = client.post(url + "stap/", {"text": "Gesprek plannen", "due": "2030-01-01"})
    assert r.status_code == 302
    step = o.steps.get(text="Gesprek plannen")
    assert client.post(url + f"stap/{step.pk}/klaar/").status_code == 302
    r = client.post(url + "status/", {"status": "resolved", "resolution": "Afspraak gemaakt"})
    assert r.status_code == 302 and Obstacle.objects.get(pk=o.pk).status == S.RESOLVED


def test_raise_through_the_form(world, client):
    mine = a_case(world)
    client.force_login(world.pro_n)
    r = client.get(f"/leren/knelpunten/nieuw/?case={mine.pk}")
    assert r.status_code == 200 and f'value="{mine.pk}" selected' in r.content.decode()
    assert AccessLogEntry.objects.filter(action="read", record_type="case", record_id=str(mine.pk)).exists()
    r = client.post(
        "/leren/knelpunten/nieuw/",
        {"title": "Incasso stuurt door", "description": "Ondanks regeling.", "where": "department", "cases": [mine.pk]},
    )
    assert r.status_code == 302
    o = Obstacle.objects.get(title="Incasso stuurt door")
    assert o.owner == world.mgr_n and list(o.cases.all()) == [mine]
    r = client.post("/leren/knelpunten/nieuw/", {"title": "x", "description": "y", "where": "partner"})
    assert r.status_code == 400

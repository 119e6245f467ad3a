import pytest

from regie.accounts.models import Role
from tests.auth_helpers import VerifiedClient
from tests.factories import AreaFactory, TeamFactory, TenancyFactory, UnitFactory, UserFactory


@pytest.fixture(autouse=True)
def _access_log_flushable(request):
    """Tests that commit (transaction=True, the live server) end with a flush of every table, which
    the access log's append-only triggers refuse (regie.audit.triggers). Empty the log first, with
    the guard lifted for that moment only. Set up as a dependency of the database fixture, so this
    teardown runs before the flush."""
    marker = request.node.get_closest_marker("django_db")
    commits = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not commits:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    yield
    from django.db import connection

    from regie.audit import triggers

    triggers.empty_throwaway_log(connection)


@pytest.fixture
def client():
    """pytest-django's client, but force_login/login also pass the second factor (tests/test_mfa.py
    tests the real two-step login)."""
    return VerifiedClient()


@pytest.fixture
def world(db):
    """Two areas, each with a team, a professional, a manager; one household in each area; plus
    the roles that read no case content. The need-to-know tests walk this matrix."""
    north, south = AreaFactory(code="noord", name="Noord"), AreaFactory(code="zuid", name="Zuid")
    team_n, team_s = (
        TeamFactory(area=north, name="Team Noord"),
        TeamFactory(area=south, name="Team Zuid"),
    )

    class W:
        pass

    w = W()
    w.north, w.south, w.team_n, w.team_s = north, south, team_n, team_s
    w.pro_n = UserFactory(username="pro-n", role=Role.PROFESSIONAL, teams=[team_n])
    w.pro_n2 = UserFactory(username="pro-n2", role=Role.PROFESSIONAL, teams=[team_n])
    w.pro_s = UserFactory(username="pro-s", role=Role.PROFESSIONAL, teams=[team_s])
    w.mgr_n = UserFactory(username="mgr-n", role=Role.MANAGER, teams=[team_n])
    w.mgr_s = UserFactory(username="mgr-s", role=Role.MANAGER, teams=[team_s])
    w.colleague = UserFactory(username="dept", role=Role.DEPARTMENT, department="maintenance", teams=[team_n])
    w.admin = UserFactory(username="fb", role=Role.ADMIN)
    w.privacy = UserFactory(username="fg", role=Role.PRIVACY)
    w.hh_n = TenancyFactory(unit=UnitFactory(area=north), name="Jansen")
    w.hh_s = TenancyFactory(unit=UnitFactory(area=south), name="De Vries")
    return w

import pytest

from regie.accounts.models import Role
from tests.factories import AreaFactory, TeamFactory, TenancyFactory, UnitFactory, UserFactory


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

import random
from datetime import date

from regie.core.demo.results import build_results
from regie.results.models import Agreement
from regie.results.selectors import progress


def test_demo_agreements_for_each_professional_with_targets(world):
    users = {u.username: u for u in (world.pro_n, world.pro_n2, world.pro_s, world.mgr_n, world.mgr_s, world.admin)}
    teams = {"n": world.team_n, "s": world.team_s}
    out = build_results(rng=random.Random(1), as_of=date(2025, 9, 1), teams=teams, users=users)
    assert out == {"result agreements": 6}
    assert set(Agreement.objects.values_list("professional__username", flat=True)) == {"pro-n", "pro-n2", "pro-s"}
    for a in Agreement.objects.all():
        assert a.targets.count() >= 4
        assert a.manager == (world.mgr_n if a.professional != world.pro_s else world.mgr_s)
        assert len(progress(a)) == 6
    # Run again: nothing doubles.
    assert build_results(rng=random.Random(1), as_of=date(2025, 9, 1), teams=teams, users=users) == {
        "result agreements": 0
    }

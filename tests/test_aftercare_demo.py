"""The demo's evaluations, aftercare checks and recurrences (regie.core.demo.aftercare)."""

import random

import pytest
from django.utils import timezone

from regie.accounts.models import User
from regie.cases.models import Case, Status
from regie.core.demo import generate
from regie.core.demo.aftercare import build_aftercare
from regie.plans import aftercare
from regie.plans.models import AftercareCheck, Evaluation

pytestmark = pytest.mark.django_db


def test_the_demo_has_evaluations_checks_and_recurrences_in_every_state():
    as_of = timezone.localdate()
    generate(seed=7, as_of=as_of, units=150)
    users = {u.username: u for u in User.objects.all()}
    counts = build_aftercare(rng=random.Random(7), as_of=as_of, cases=list(Case.objects.all()), users=users)
    assert counts["recurrences"] == 2
    assert Case.objects.filter(recurrence_of__isnull=False).count() == 2
    assert counts["aftercare checks done"] > 0 and counts["evaluations due"] > 0
    assert counts["aftercare checks due"] >= 1
    # Checks only on closed cases whose household stayed, at the configured months after closing.
    for check in AftercareCheck.objects.select_related("case"):
        assert check.case.status == Status.CLOSED
        closed_on = timezone.localdate(check.case.closed_at)
        assert check.due in {aftercare.add_months(closed_on, m) for m in aftercare.aftercare_months()}
        assert check.done_at is None or check.result
    assert not Evaluation.objects.filter(case__status=Status.CLOSED, done_at__isnull=True).exists()
    # The lead director finds something due on his caseload.
    evaluations, checks = aftercare.due_for(users["demo-regisseur"])
    assert evaluations or checks
    # Run twice, the same result: it rebuilds rather than adds.
    again = build_aftercare(rng=random.Random(7), as_of=as_of, cases=list(Case.objects.all()), users=users)
    assert again["aftercare checks done"] == counts["aftercare checks done"]

"""The daily e-mail digest: the right people, the right actions, no case content; `regie digest`."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from regie.plans.digest import send_digests
from tests.test_plan_support import goal_with_actions, plan_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.REGIE_BASE_URL = "https://regie.example.nl"


@pytest.fixture
def plan(world):
    for user, email in (
        (world.pro_n, "pro-n@example.nl"),
        (world.colleague, "dept@example.nl"),
        (world.pro_n2, "p2@example.nl"),
    ):
        user.email = email
        user.save(update_fields=["email"])
    case, tenant = plan_case(world)
    goal, dept, tenant_action = goal_with_actions(case, world.pro_n)
    return case, goal, dept, tenant_action


def test_director_and_department_get_their_digest(world, plan):
    case, goal, dept, tenant_action = plan
    digests = send_digests()
    to = {m.to[0]: m for m in mail.outbox}
    assert set(to) == {"pro-n@example.nl", "dept@example.nl"}  # pro_n2 directs nothing
    director = to["pro-n@example.nl"].body
    assert tenant_action.what in director and dept.what in director
    assert f"https://regie.example.nl/plan/actie/{tenant_action.pk}/" in director
    colleague = to["dept@example.nl"].body
    assert dept.what in colleague and tenant_action.what not in colleague
    assert world.hh_n.unit.address in colleague
    assert f"https://regie.example.nl/plan/werk/{dept.pk}/" in colleague
    for body in (director, colleague):
        assert case.question not in body and goal.text not in body
    assert len(digests) == 2


def test_dry_run_sends_nothing_and_command_reports(world, plan):
    out = StringIO()
    call_command("digest", "--dry-run", stdout=out)
    assert mail.outbox == []
    assert "2 digests would be sent" in out.getvalue()
    assert world.hh_n.unit.address not in out.getvalue()
    call_command("digest", stdout=StringIO())
    assert len(mail.outbox) == 2


def test_nothing_due_means_no_mail(world):
    world.pro_n.email = "pro-n@example.nl"
    world.pro_n.save(update_fields=["email"])
    plan_case(world)
    assert send_digests() == [] and mail.outbox == []

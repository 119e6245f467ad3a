"""The fast form renderer draws exactly what Django's templates draw, for every form of the app."""

import pytest
from django.forms.renderers import DjangoTemplates

from regie.accounts.admin_forms import NewUserForm, UserForm
from regie.audit.forms import LogSearchForm
from regie.cases import forms as case_forms
from regie.core.form_renderer import FastRenderer
from regie.housing.forms import SearchForm
from tests.factories import PersonFactory, open_case

pytestmark = pytest.mark.django_db


def both(make):
    fast, slow = make(), make()
    fast.renderer, slow.renderer = FastRenderer(), DjangoTemplates()
    return fast, slow


def assert_same(make):
    fast, slow = both(make)
    for name in fast.fields:
        assert str(fast[name]) == str(slow[name]), name
        for fast_sub, slow_sub in zip(fast[name].subwidgets, slow[name].subwidgets, strict=True):
            assert fast_sub.tag() == slow_sub.tag(), name


def test_every_form_renders_identically(world):
    case = open_case(household=world.hh_n, director=world.pro_n, question='Ik wil "rust" & <vrede>')
    PersonFactory(tenancy=world.hh_n, first_name="<Ann>")
    makers = [
        lambda: case_forms.CaseOpenForm(user=world.pro_n),
        lambda: case_forms.TransitionForm(case=case),
        lambda: case_forms.ContactForm(case=case),
        lambda: case_forms.TransferForm(case=case),
        lambda: case_forms.MemberForm(case=case),
        lambda: case_forms.QuestionForm(initial={"question": case.question}),
        lambda: case_forms.NextStepForm(initial={"next_step": "Bel <x>"}),
        lambda: case_forms.CaseloadFilterForm(user=world.mgr_n),
        lambda: case_forms.CaseloadFilterForm({"status": "intake", "urgent": "on"}, user=world.mgr_n),
        lambda: case_forms.ContactForm({"at": "nonsense", "channel": "BEZ", "summary": ""}, case=case),
        lambda: SearchForm({"q": '"<script>'}),
        lambda: LogSearchForm({"date_from": "2026-01-01"}),
        lambda: NewUserForm({"teams": [world.team_n.pk], "role": "manager"}),
        lambda: UserForm(initial={"is_active": True, "teams": [world.team_s.pk]}),
    ]
    for make in makers:
        form = make()
        if form.is_bound:
            form.is_valid()  # so the fields carry aria-invalid and errors
        assert_same(make)

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Department, Role, Team
from regie.core.forms import IdsField


class UserForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.ChoiceField(label=_("Department"), choices=Department.choices, initial=Department.SOCIAL)
    teams = IdsField(
        label=_("Teams"),
        queryset=Team.objects.select_related("area"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class NewUserForm(UserForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("At least 12 characters; not a common password."),
    )
    field_order = ["username", "password"]

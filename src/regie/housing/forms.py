from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    # Sent by POST, never in the URL: names and addresses are personal data.
    q = forms.CharField(
        label=_("Name, address, postcode or tenancy number"),
        max_length=100,
        min_length=2,
        error_messages={"min_length": _("Type at least 2 characters."), "required": _("Type what to look for.")},
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

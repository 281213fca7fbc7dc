"""The public register's search form: it parses and bounds what a stranger types."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.public import SEARCH_MAX_LENGTH
from licensing.models import PermitState, PermitType


class RegisterSearchForm(forms.Form):
    number = forms.CharField(
        label=_("Permit number starts with"), required=False, max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}))
    name = forms.CharField(label=_("Business name starts with"), required=False,
                           max_length=SEARCH_MAX_LENGTH)
    type = forms.ModelChoiceField(label=_("Permit type"), required=False, to_field_name="code",
                                  queryset=PermitType.objects.order_by("code"),
                                  empty_label=_("Any"))
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("Any")), *PermitState.choices])

    def filters(self) -> dict:
        data = self.cleaned_data
        return {"number": data["number"], "name": data["name"], "permit_type": data["type"],
                "state": data["state"]}


class PageKeyForm(forms.Form):
    """Where a page of the register starts (``evaluation.public.permit_register_page``): read
    apart from the search, so searching again starts from the first page."""

    after = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    before = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

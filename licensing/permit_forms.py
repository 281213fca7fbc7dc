"""Forms of the permit register."""

from django import forms
from django.utils.translation import gettext_lazy as _

from licensing.models import PermitState, PermitType


class ReasonForm(forms.Form):
    """Why a permit is suspended, reinstated, revoked or surrendered; it goes into the audit."""

    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RegisterFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("Any")), *PermitState.choices])
    permit_type = forms.ModelChoiceField(label=_("Permit type"), required=False,
                                         queryset=PermitType.objects.order_by("code"),
                                         empty_label=_("Any"))
    expiring_within = forms.IntegerField(label=_("Expiring within (days)"), required=False,
                                         min_value=0, max_value=3660)
    q = forms.CharField(label=_("Number, NIB or name"), required=False, max_length=200)

"""The treasury's forms for money coming in. They parse input; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from payments import numbering
from payments.models import Invoice
from treasury.states import StatementFormat

# A month of the city account's bookings is well under a megabyte in either format.
STATEMENT_MAX_BYTES = 10 * 1024 * 1024


class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_("Statement file"),
                           help_text=_("As exported by the bank: CSV in the documented layout, "
                                       "or MT940."))
    format = forms.ChoiceField(label=_("Format"), choices=StatementFormat.choices)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > STATEMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.")
                % {"limit": STATEMENT_MAX_BYTES // (1024 * 1024)})
        return upload


class CounterPaymentForm(forms.Form):
    billing_code = forms.CharField(
        label=_("Billing code"), max_length=40,
        help_text=_("The 16 digits of the bill the payer paid at the bank counter."))
    note = forms.CharField(label=_("Note"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean_billing_code(self) -> Invoice:
        """The bill the code names (the form keeps the typed code for a re-render)."""
        code = "".join(self.cleaned_data["billing_code"].split())
        if not numbering.billing_code_is_valid(code):
            raise forms.ValidationError(_("A billing code has 16 digits and a valid check "
                                          "digit; check what was typed."))
        invoice = Invoice.objects.filter(billing_code=code).first()
        if invoice is None:
            raise forms.ValidationError(_("No bill has this billing code."))
        return invoice

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications.phones import phone_normalise


class PreferenceForm(forms.Form):
    """Language and channels. The phone is normalised to E.164 here; the choices are saved by
    ``services.preference_update``."""

    language = forms.ChoiceField(label=_("Language of notifications"), choices=settings.LANGUAGES)
    email = forms.BooleanField(label=_("E-mail"), required=False)
    sms = forms.BooleanField(label=_("SMS"), required=False)
    whatsapp = forms.BooleanField(label=_("WhatsApp"), required=False)
    phone = forms.CharField(
        label=_("Mobile number"), required=False, max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel",
                                      "inputmode": "tel"}),
        help_text=_("Needed for SMS or WhatsApp. For example 0812 3456 7890."),
    )

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff
        if staff:
            # Staff work arrives by e-mail: shown ticked and fixed, whatever was stored.
            self.fields["email"].disabled = True
            self.fields["email"].initial = True
            self.fields["email"].help_text = _("Always on for staff: your work arrives by it.")

    def clean_phone(self) -> str:
        return phone_normalise(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("sms") or cleaned.get("whatsapp")) and not cleaned.get("phone") \
                and "phone" not in self.errors:
            self.add_error("phone", forms.ValidationError(
                _("Enter your mobile number to receive SMS or WhatsApp messages."),
                code="phone_required"))
        return cleaned

from django import forms
from django.utils.translation import gettext_lazy as _


class AttachmentUploadForm(forms.Form):
    # Empty files pass here so the upload service refuses them with its own, single message.
    file = forms.FileField(label=_("File"), allow_empty_file=True)

"""The survey's and the complaints' forms. They parse and bound input; the services write."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from evaluation.complaints import ANSWER_MAX_LENGTH, BODY_MAX_LENGTH
from evaluation.models import ELEMENTS
from evaluation.survey import COMMENT_MAX_LENGTH, QUESTIONS, SCORES


class SurveyForm(forms.Form):
    """One question per element, its four answers as radio buttons (worst first, as the
    regulation's questionnaire lists them), and an optional comment."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, (name, label) in enumerate(ELEMENTS, start=1):
            question, answers = QUESTIONS[name]
            self.fields[name] = forms.TypedChoiceField(
                label=format_lazy("{}. {} — {}", number, label, question), coerce=int,
                choices=list(zip(SCORES, answers, strict=True)), widget=forms.RadioSelect,
                error_messages={"required": _("Choose one answer.")})
        self.fields["comment"] = forms.CharField(
            label=_("Comment or suggestion (optional)"), required=False,
            max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name, _label in ELEMENTS}


class ComplaintForm(forms.Form):
    """A business's complaint about one of its applications (``applications``: those it may
    choose, from ``complaint_applications_for``)."""

    application = forms.ModelChoiceField(label=_("Application"), queryset=None,
                                         empty_label=_("Choose an application"))
    body = forms.CharField(label=_("Your complaint"), max_length=BODY_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = (
            lambda application: f"{application.reference} · {application.permit_type.name}")


class AnonymousComplaintForm(forms.Form):
    body = forms.CharField(
        label=_("Your complaint"), max_length=BODY_MAX_LENGTH,
        help_text=_("Do not write your name, phone number or e-mail address: an anonymous "
                    "complaint gets no reply. To get an answer, log in and complain about "
                    "your application."),
        widget=forms.Textarea(attrs={"rows": 6}))


class ComplaintAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=ANSWER_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 6}))

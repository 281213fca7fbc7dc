"""Reviewer forms. They parse input; the rules (reasons required, four-eyes, inspection done)
live in the services, so a refusal reads the same whichever page it comes from."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.checklist import CheckResult, checklist_items
from workflows.states import Decision


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices,
                                 widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Message to the applicant"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you request changes or reject: say what and why."),
    )
    conditions = forms.CharField(
        label=_("Conditions of approval"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only with an approval. They are printed on the permit."),
    )
    documents_to_replace = forms.ModelMultipleChoiceField(
        label=_("Documents to replace"), required=False, queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only with a change request: the applicant must upload a new version of each."),
    )

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents_to_replace"].queryset = (
            task.application.permit_type.required_documents.all()
        )


class ScheduleInspectionForm(forms.Form):
    inspection_at = forms.DateTimeField(
        label=_("Inspection date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class InspectionRecordForm(forms.Form):
    """One result per checklist item of the step, and the findings."""

    findings = forms.CharField(label=_("Findings"), max_length=8000,
                               widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, task, **kwargs):
        kwargs.setdefault("initial", {"findings": task.findings})
        super().__init__(*args, **kwargs)
        self.items = checklist_items(task.step.checklist)
        recorded = task.checklist_results or {}
        for index, item in enumerate(self.items):
            self.fields[f"item_{index}"] = forms.ChoiceField(
                label=item.label, choices=CheckResult.choices, widget=forms.RadioSelect,
                initial=recorded.get(item.key),
            )
        # The checklist first, the findings after it.
        self.order_fields([f"item_{i}" for i in range(len(self.items))] + ["findings"])

    def checklist_results(self) -> dict[str, str]:
        return {item.key: self.cleaned_data[f"item_{index}"]
                for index, item in enumerate(self.items)}


class InspectionPhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo (JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

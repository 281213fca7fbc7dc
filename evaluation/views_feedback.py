"""The survey and the complaints: the business's pages, the anonymous form, and the head of
office's list and answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.client_address import client_address
from config.throttle import allow
from evaluation import complaint_selectors, survey_selectors
from evaluation.complaints import complaint_answer, complaint_file, complaint_file_anonymous
from evaluation.forms_feedback import (
    AnonymousComplaintForm,
    ComplaintAnswerForm,
    ComplaintForm,
    SurveyForm,
)
from evaluation.states import ComplaintState
from evaluation.survey import survey_answer
from licensing.once import once
from workflows.machine import TransitionRefused

COMPLAINTS_PER_PAGE = 25
# Anonymous complaints per address and hour: enough for a family behind one router, too few
# to flood the head of office's list.
ANONYMOUS_COMPLAINTS_PER_HOUR = 5
HOUR = 3600
RECEIVED_SESSION_KEY = "feedback_complaint_reference"


def _errors_to_form(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# The survey.


def _survey(request, invitation):
    """The questionnaire of one invitation; a second answer is refused and stores nothing."""
    if invitation.answered_at is not None and request.method != "POST":
        return render(request, "evaluation/feedback/survey_answered.html", status=200)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer(token=invitation.token, scores=form.scores(),
                          comment=form.cleaned_data["comment"], actor=request.user)
        except TransitionRefused as refused:
            if refused.code == "already_answered":
                return render(request, "evaluation/feedback/survey_answered.html", status=409)
            messages.error(request, refused.message)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return redirect("feedback:survey_thanks")
    return render(request, "evaluation/feedback/survey.html", {
        "form": form, "application": invitation.application,
    })


@once
def survey_by_token(request, token: str):
    """The e-mail's link: the token is the permission, no login needed."""
    return _survey(request, survey_selectors.survey_invitation_get_by_token(token=token))


@login_required
@once
def survey_for_application(request, pk: int):
    """From the application page: the business's own people only; anyone else gets 404."""
    return _survey(request, survey_selectors.survey_invitation_get_for_member(
        user=request.user, application_id=pk))


def survey_thanks(request):
    return render(request, "evaluation/feedback/survey_thanks.html")


# Complaints: filing.


def _received(request, complaint):
    request.session[RECEIVED_SESSION_KEY] = complaint.reference
    return redirect("feedback:complaint_received")


@login_required
@once
def complaint_new(request):
    applications = complaint_selectors.complaint_applications_for(user=request.user)
    initial = {}
    if (chosen := request.GET.get("application", "")[:12]).isdigit():
        initial["application"] = int(chosen)
    form = ComplaintForm(request.POST or None, applications=applications, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_file(application=form.cleaned_data["application"],
                                       actor=request.user, body=form.cleaned_data["body"])
        except TransitionRefused as refused:
            messages.error(request, refused.message)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return _received(request, complaint)
    return render(request, "evaluation/feedback/complaint_new.html", {
        "form": form, "has_applications": applications.exists(),
    })


@once
def complaint_new_anonymous(request):
    """Anyone, signed in or not; nothing of the sender is kept. Limited per address."""
    form = AnonymousComplaintForm(request.POST or None)
    if request.method == "POST":
        if not allow(bucket="complaint_anonymous", client=client_address(request),
                     limit=ANONYMOUS_COMPLAINTS_PER_HOUR, window=HOUR):
            response = HttpResponse(
                _("Too many complaints from your address. Please try again in an hour."),
                status=429, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = str(HOUR)
            return response
        if form.is_valid():
            try:
                complaint = complaint_file_anonymous(body=form.cleaned_data["body"])
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                return _received(request, complaint)
    return render(request, "evaluation/feedback/complaint_anonymous.html", {"form": form})


def complaint_received(request):
    """The reference of the complaint just sent from this browser, and nothing else of it."""
    return render(request, "evaluation/feedback/complaint_received.html", {
        "reference": request.session.get(RECEIVED_SESSION_KEY, ""),
    })


@login_required
def complaint_mine(request):
    page = Paginator(complaint_selectors.complaint_list_for_member(user=request.user),
                     COMPLAINTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "evaluation/feedback/complaint_mine.html", {"page": page})


# Complaints: the head of office.


@login_required
def complaint_list(request):
    if not complaint_selectors.may_see_complaints(request.user):
        raise PermissionDenied
    state = request.GET.get("state", "")
    if state not in ComplaintState.values:
        state = ""
    page = Paginator(complaint_selectors.complaint_list_for_office(user=request.user,
                                                                   state=state),
                     COMPLAINTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "evaluation/feedback/complaint_list.html", {
        "page": page, "state": state, "states": ComplaintState.choices,
    })


@login_required
def complaint_detail(request, pk: int):
    complaint = complaint_selectors.complaint_get_for_office(user=request.user, pk=pk)
    return render(request, "evaluation/feedback/complaint_detail.html", {
        "complaint": complaint,
        "form": ComplaintAnswerForm() if complaint.state == ComplaintState.RECEIVED else None,
    })


@login_required
@require_POST
@once
def complaint_answer_view(request, pk: int):
    complaint = complaint_selectors.complaint_get_for_office(user=request.user, pk=pk)
    form = ComplaintAnswerForm(request.POST)
    if form.is_valid():
        try:
            answered = complaint_answer(complaint=complaint, actor=request.user,
                                        answer=form.cleaned_data["answer"])
        except TransitionRefused as refused:
            messages.error(request, refused.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The answer is saved and sent to the complainant.")
                             if answered.submitted_by_id else _("The answer is saved."))
            return redirect("feedback:complaint_detail", pk=complaint.pk)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("feedback:complaint_detail", pk=complaint.pk)

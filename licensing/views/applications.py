"""The applicant's side of an application: start, fill in, submit, follow, answer, withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from documents import selectors as document_selectors
from licensing import rules, selectors, services
from licensing.forms import AnswersForm, ApplicationStartForm, NoteForm
from licensing.models import FieldKind
from licensing.once import once
from licensing.states import WITHDRAWABLE
from licensing.states import ApplicationState as S
from licensing.views.application_summary import application_summary
from payments import selectors as payment_selectors
from workflows import selectors as review_selectors
from workflows.machine import TransitionRefused

EDITABLE = (S.DRAFT, S.CHANGES_REQUESTED)


@login_required
def dashboard(request):
    return render(request, "licensing/dashboard.html", {
        "businesses": selectors.business_list_for_user(user=request.user),
        "applications": selectors.application_list_for_user(user=request.user),
    })


@login_required
@once
def application_start(request, code: str):
    permit_type = selectors.permit_type_get_public(code=code)
    businesses = selectors.business_list_for_user(user=request.user)
    if not businesses.exists():
        messages.info(request, _("Register your business first; then you can apply."))
        return redirect(reverse("business_register") + "?" + urlencode({"next": request.path}))
    form = ApplicationStartForm(request.POST or None, businesses=businesses)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                business=form.cleaned_data["business"], permit_type=permit_type,
                actor=request.user,
            )
        except TransitionRefused as refused:
            messages.error(request, refused.message)
            return redirect("catalogue_detail", code=permit_type.code)
        messages.success(request, _("Application %(reference)s started. Fill in the form and "
                                    "upload the documents, then submit.")
                         % {"reference": application.reference})
        return redirect("application_edit", pk=application.pk)
    return render(request, "licensing/application_start.html",
                  {"permit_type": permit_type, "form": form})


@login_required
def application_detail(request, pk: int):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    may_act = rules.may_act_as_applicant(application, request.user)
    documents = document_selectors.application_documents(application=application)
    permit = selectors.application_permit(application=application)
    missing = application.missing_requirements() if application.state in EDITABLE else []
    invoices = payment_selectors.invoice_list_for_application(application=application)
    progress = review_selectors.application_review_progress(application=application)
    return render(request, "licensing/application_detail.html", {
        "application": application,
        "summary": application_summary(
            application=application, user=request.user, may_act=may_act, missing=missing,
            invoices=invoices, permit=permit, has_review=bool(progress),
            clock=review_selectors.application_decision_clock(application=application),
        ),
        "may_act": may_act,
        "editable": may_act and application.state in EDITABLE,
        "can_submit": may_act and application.state == S.DRAFT,
        "can_resubmit": may_act and application.state == S.CHANGES_REQUESTED,
        "can_withdraw": may_act and application.state in WITHDRAWABLE,
        "missing": missing,
        "answers": (answers := selectors.application_answers(application=application)),
        # The numbers as Izin read them, beside the fee they make (7,5 m² → Rp 2.250.000).
        "number_answers": [(field, value) for field, value in answers
                           if field.kind == FieldKind.NUMBER and value],
        "fee_quote": payment_selectors.fee_quote_for(application=application),
        "invoices": invoices,
        "documents": documents,
        "permit": permit,
        # Approved (and paid where due) but not yet issued: the task is signing, or retrying.
        "permit_being_issued": permit is None and application.state in (S.APPROVED, S.PAID)
        and can_proceed(application.issue),
        "change_request": document_selectors.application_change_request(
            application=application, documents=documents
        ),
        "progress": progress,
        "timeline": review_selectors.application_timeline_for_user(application=application,
                                                                   user=request.user),
        "resubmit_form": NoteForm(auto_id="resubmit_%s"),
        "withdraw_form": NoteForm(auto_id="withdraw_%s"),
    })


@login_required
@once
def application_edit(request, pk: int):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    if not (application.state in EDITABLE
            and rules.may_act_as_applicant(application, request.user)):
        messages.error(request, _("The form of this application can no longer be changed."))
        return redirect("application_detail", pk=application.pk)
    form = AnswersForm(request.POST or None, permit_type=application.permit_type,
                       answers=application.answers)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update_answers(application=application, actor=request.user,
                                                answers=form.answers())
        except TransitionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Your answers are saved."))
        return redirect("application_detail", pk=application.pk)
    return render(request, "licensing/application_edit.html",
                  {"application": application, "form": form})


def _transition_view(service, success_message, *, with_note: bool):
    """A POST-only action on an application: one service call, its refusal shown as a message."""

    @login_required
    @require_POST
    @once
    def view(request, pk: int):
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        kwargs = {}
        if with_note:
            form = NoteForm(request.POST)
            kwargs["note"] = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            application = service(application=application, actor=request.user, **kwargs)
        except TransitionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, success_message % {
                "reference": application.reference, "state": application.get_state_display()
            })
        return redirect("application_detail", pk=application.pk)

    return view


application_submit = _transition_view(
    services.application_submit,
    gettext_lazy("Application %(reference)s is submitted. Its status is now: %(state)s."),
    with_note=False,
)
application_resubmit = _transition_view(
    services.application_resubmit,
    gettext_lazy("Application %(reference)s is sent back for review."),
    with_note=True,
)
application_withdraw = _transition_view(
    services.application_withdraw,
    gettext_lazy("Application %(reference)s is withdrawn."),
    with_note=True,
)

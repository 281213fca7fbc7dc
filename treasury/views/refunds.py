"""Treasury pages: refunds. The queues; one refund with its payment, bill, application and
history; the officers' steps on it (prepare a suggestion, approve as a supervisor who did not
prepare it, reject); and proposing a refund of a payment. Each POST parses its form and calls
one service; a form error or a refusal shows the page again (400, 403 for an approval refused
to an officer or to the preparer) with what was typed."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from licensing.numbers import RupiahField
from licensing.once import once
from payments.models import Refund
from payments.states import RefundReason
from payments.states import RefundState as S
from treasury import refunds as services
from treasury.access import treasury_required
from treasury.selectors import refunds as selectors
from workflows.machine import TransitionRefused
from workflows.selectors import object_history

AMOUNT_ERRORS = {
    "invalid": gettext_lazy("Enter a whole number of rupiah, such as 1.500.000."),
    "whole": gettext_lazy("Enter a whole number of rupiah, such as 1.500.000."),
    "min_value": gettext_lazy("Enter an amount greater than zero."),
}


class PrepareForm(forms.Form):
    amount = RupiahField(label=gettext_lazy("Amount to give back (Rp)"), min_value=1,
                         error_messages=AMOUNT_ERRORS)
    note = forms.CharField(label=gettext_lazy("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ProposeForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=RefundReason.choices,
                               initial=RefundReason.OTHER)
    amount = RupiahField(label=gettext_lazy("Amount to give back (Rp)"), min_value=1,
                         error_messages=AMOUNT_ERRORS)
    note = forms.CharField(label=gettext_lazy("Note"),
                           help_text=gettext_lazy("Why this money goes back."),
                           widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Why it is rejected"),
                           widget=forms.Textarea(attrs={"rows": 2}))


# The reject form shares its page with the prepare form: its field ids must differ.
REJECT_ID = "id_reject_%s"


def _refused_into(form: forms.Form, refused: TransitionRefused) -> None:
    """A service's refusal shown beside the field it is about: its code starts with the
    field's name (``amount_too_much``), or it is about the whole form."""
    field = refused.code.split("_", 1)[0]
    form.add_error(field if field in form.fields else None, refused.message)


@treasury_required
def refund_list(request):
    return render(request, "treasury/refunds/list.html",
                  {"queues": selectors.refund_queues()})


@treasury_required
def refund_detail(request, pk: int):
    return _detail(request, selectors.refund_get(pk=pk))


def _detail(request, refund: Refund, *, prepare_form=None, reject_form=None, status=200):
    payment = refund.payment
    is_open = refund.state in (S.DRAFT, S.PROPOSED)
    if prepare_form is None and refund.state == S.DRAFT:
        prepare_form = PrepareForm(initial={"amount": refund.amount, "note": refund.note})
    return render(request, "treasury/refunds/detail.html", {
        "refund": refund,
        "payment": payment,
        "invoice": payment.invoice,
        "application": payment.invoice.application,
        "left": selectors.refund_amount_left(payment=payment),
        "may_refund_more": selectors.payment_may_refund(payment=payment),
        "siblings": selectors.refund_siblings(refund=refund),
        "history": object_history(instance=refund),
        "prepare_form": prepare_form,
        "reject_form": reject_form or (RejectForm(auto_id=REJECT_ID) if is_open else None),
        # The approve button only for whoever the service would let through; the others are
        # told why not.
        "approve_refusal": services.refund_refusal(refund=refund, actor=request.user)
        if refund.state == S.PROPOSED else None,
    }, status=status)


@treasury_required
@require_POST
@once
def refund_prepare(request, pk: int):
    refund = selectors.refund_get(pk=pk)
    form = PrepareForm(request.POST)
    if form.is_valid():
        try:
            services.refund_prepare(refund=refund, actor=request.user,
                                    amount=form.cleaned_data["amount"],
                                    note=form.cleaned_data["note"])
        except TransitionRefused as refused:
            _refused_into(form, refused)
        else:
            messages.success(request, _("The refund is prepared. A treasury supervisor "
                                        "approves it."))
            return redirect("treasury:refund_detail", pk=refund.pk)
    return _detail(request, refund, prepare_form=form, status=400)


@treasury_required
@require_POST
@once
def refund_approve(request, pk: int):
    refund = selectors.refund_get(pk=pk)
    try:
        services.refund_approve(refund=refund, actor=request.user)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        return _detail(request, refund,
                       status=403 if refused.code == "permission_denied" else 400)
    messages.success(request, _("The refund is approved and sent to the payment gateway."))
    return redirect("treasury:refund_detail", pk=refund.pk)


@treasury_required
@require_POST
@once
def refund_reject(request, pk: int):
    refund = selectors.refund_get(pk=pk)
    form = RejectForm(request.POST, auto_id=REJECT_ID)
    if form.is_valid():
        try:
            services.refund_reject(refund=refund, actor=request.user,
                                   note=form.cleaned_data["note"])
        except TransitionRefused as refused:
            _refused_into(form, refused)
        else:
            messages.success(request, _("The refund is rejected."))
            return redirect("treasury:refund_detail", pk=refund.pk)
    return _detail(request, refund, reject_form=form, status=400)


@treasury_required
@once
def refund_new(request, payment_pk: int):
    """Propose a full or partial refund of a payment: the amount starts at what is left."""
    payment = selectors.payment_get_for_refund(pk=payment_pk)
    left = selectors.refund_amount_left(payment=payment)
    status = 200
    if request.method == "POST":
        form = ProposeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                refund = services.refund_propose(payment=payment, amount=data["amount"],
                                                 reason=data["reason"], note=data["note"],
                                                 actor=request.user)
            except TransitionRefused as refused:
                _refused_into(form, refused)
            else:
                messages.success(request, _("The refund is proposed. A treasury supervisor "
                                             "approves it."))
                return redirect("treasury:refund_detail", pk=refund.pk)
        status = 400
    else:
        form = ProposeForm(initial={"amount": max(left, 0)})
    return render(request, "treasury/refunds/new.html", {
        "payment": payment,
        "invoice": payment.invoice,
        "application": payment.invoice.application,
        "left": left,
        "may_refund": selectors.payment_may_refund(payment=payment),
        "refunds": payment.refunds.order_by("created_at", "pk"),
        "form": form,
    }, status=status)


urlpatterns = [
    path("", refund_list, name="refund_list"),
    path("<int:pk>/", refund_detail, name="refund_detail"),
    path("<int:pk>/prepare/", refund_prepare, name="refund_prepare"),
    path("<int:pk>/approve/", refund_approve, name="refund_approve"),
    path("<int:pk>/reject/", refund_reject, name="refund_reject"),
    path("new/<int:payment_pk>/", refund_new, name="refund_new"),
]

"""The SKRD page for the business (and staff), and the staff action that reissues a bill."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from licensing.once import once
from payments import selectors, services
from workflows.machine import TransitionRefused


@login_required
def invoice_detail(request, pk: int):
    invoice = selectors.invoice_get_for_user(user=request.user, pk=pk)
    return render(request, "payments/invoice_detail.html", {
        "invoice": invoice,
        "application": invoice.application,
        "can_reissue": selectors.invoice_may_reissue(invoice=invoice, user=request.user),
    })


@login_required
@require_POST
@once
def invoice_reissue(request, pk: int):
    invoice = selectors.invoice_get_for_user(user=request.user, pk=pk)
    try:
        new_invoice = services.invoice_reissue(application=invoice.application,
                                               actor=request.user)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        return redirect("invoice_detail", pk=invoice.pk)
    messages.success(request, _("Bill %(number)s is issued; it replaces %(old)s.")
                     % {"number": new_invoice.number, "old": invoice.number})
    return redirect("invoice_detail", pk=new_invoice.pk)

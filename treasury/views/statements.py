"""Treasury pages for money coming in: bank statements (upload, lines and their matches),
payments made at a bank counter against a line (one officer proposes, a second confirms or
rejects: the line's page shows whichever step is next, and the queue lists the proposals
waiting), and the gateway's payouts."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from licensing.once import once
from treasury import counter as services
from treasury.access import treasury_required
from treasury.models import CounterPayment
from treasury.selectors import statements as selectors
from treasury.statements import StatementRefused, statement_import
from treasury.statements.forms import CounterPaymentForm, StatementUploadForm
from treasury.states import CounterPaymentState
from workflows.machine import TransitionRefused

PAGE_SIZE = 50
LINES_PAGE_SIZE = 200


def _page(request, items, size: int):
    return Paginator(items, size).get_page(request.GET.get("page"))


@treasury_required
@require_GET
def statement_list(request):
    return render(request, "treasury/statements/statement_list.html", {
        "page": _page(request, selectors.statement_list(), PAGE_SIZE),
    })


@treasury_required
@once
def statement_upload(request):
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            statement = statement_import(data=upload.read(), filename=upload.name,
                                         fmt=form.cleaned_data["format"], user=request.user)
        except StatementRefused as refused:
            problems = refused.problems
        else:
            if statement is None:
                messages.info(request, _("Every line of this file is already imported; nothing "
                                         "was added."))
                return redirect("treasury:statement_list")
            messages.success(request, _("Statement imported: %(added)s lines added, %(skipped)s "
                                        "already imported lines skipped.")
                             % {"added": statement.lines_added,
                                "skipped": statement.lines_skipped})
            return redirect("treasury:statement_detail", pk=statement.pk)
    return render(request, "treasury/statements/statement_upload.html",
                  {"form": form, "problems": problems},
                  status=400 if request.method == "POST" else 200)


@treasury_required
@require_GET
def statement_detail(request, pk: int):
    statement = selectors.statement_get(pk=pk)
    page = _page(request, selectors.statement_lines(statement=statement), LINES_PAGE_SIZE)
    open_lines = [line for line in page if selectors.bank_line_is_open(line)]
    suggested = selectors.invoices_suggested(lines=open_lines)
    rows = [{"line": line, "counter_payment": selectors.bank_line_counter_payment(line),
             "form": _counter_form(suggested.get(line.pk), auto_id=f"id_line{line.pk}_%s")
             if line in open_lines else None}
            for line in page]
    return render(request, "treasury/statements/statement_detail.html",
                  {"statement": statement, "page": page, "rows": rows,
                   "matched_when": _matched_when(statement)})


def _matched_when(statement) -> str:
    """When matching ran for the statement: the time, and the day too if not the upload's."""
    if statement.matched_at is None:
        return ""
    matched_at = timezone.localtime(statement.matched_at)
    same_day = matched_at.date() == timezone.localtime(statement.uploaded_at).date()
    return date_format(matched_at, "H:i" if same_day else "j M Y H:i")


class CounterRejectForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Why it is rejected"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        # Shares its page with the proposal form: its field ids must differ.
        kwargs.setdefault("auto_id", "id_reject_%s")
        super().__init__(*args, **kwargs)


@treasury_required
@once
def counter_payment_record(request, pk: int):
    """A bill paid at a bank counter with the money of bank line ``pk``: the only way to settle
    a bill in cash, always against the bank's booking. An open line takes a proposal; a line
    a proposal holds shows it, to confirm or reject (to a different officer than the proposer
    and the statement's importer)."""
    line = selectors.bank_line_get(pk=pk)
    if request.method == "POST":
        form = CounterPaymentForm(request.POST)
        if form.is_valid():
            try:
                services.counter_payment_propose(
                    bank_line=line, invoice=form.cleaned_data["billing_code"],
                    actor=request.user, note=form.cleaned_data["note"])
            except TransitionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The payment at the bank counter is proposed. The "
                                            "bill is paid once another treasury officer "
                                            "confirms it."))
                return redirect("treasury:counter_payment_record", pk=line.pk)
        return _line_page(request, line, form=form, status=400)
    return _line_page(request, line)


def _line_page(request, line, *, form=None, reject_form=None, status=200):
    suggested = selectors.invoice_suggested(line=line)
    held = selectors.bank_line_counter_payment(line)
    proposed = held if held is not None and held.state == CounterPaymentState.PROPOSED else None
    return render(request, "treasury/statements/counter_payment.html", {
        "line": line, "suggested": suggested,
        "form": form or _counter_form(suggested),
        "is_open": selectors.bank_line_is_open(line),
        "counter_payment": held,
        "history": selectors.bank_line_history(line=line),
        # The page offers the confirm button only to whoever the service would let through,
        # and tells everyone else why not.
        "confirm_refusal": services.counter_payment_refusal(counter_payment=proposed,
                                                            actor=request.user)
        if proposed else None,
        "reject_form": (reject_form or CounterRejectForm())
        if proposed and proposed.recorded_by_id != request.user.pk else None,
    }, status=status)


def _counter_payment(pk: int) -> CounterPayment:
    return get_object_or_404(CounterPayment, pk=pk)


@treasury_required
@require_POST
@once
def counter_payment_confirm(request, pk: int):
    counter_payment = _counter_payment(pk)
    line = selectors.bank_line_get(pk=counter_payment.bank_line_id)
    try:
        services.counter_payment_confirm(counter_payment=counter_payment, actor=request.user)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        return _line_page(request, line,
                          status=403 if refused.code == "permission_denied" else 400)
    messages.success(request, _("Confirmed: the bill is paid at the bank counter with this "
                                "bank line."))
    return redirect("treasury:counter_payment_record", pk=line.pk)


@treasury_required
@require_POST
@once
def counter_payment_reject(request, pk: int):
    counter_payment = _counter_payment(pk)
    line = selectors.bank_line_get(pk=counter_payment.bank_line_id)
    form = CounterRejectForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.counter_payment_reject(counter_payment=counter_payment, actor=request.user,
                                            note=form.cleaned_data["note"])
        except TransitionRefused as refused:
            messages.error(request, refused.message)
            status = 403 if refused.code == "permission_denied" else 400
        else:
            messages.success(request, _("The proposal is rejected: the bill stays open and the "
                                        "bank line is free again."))
            return redirect("treasury:counter_payment_record", pk=line.pk)
    return _line_page(request, line, reject_form=form, status=status)


@treasury_required
@require_GET
def counter_payment_list(request):
    """The counter payments awaiting a second officer."""
    return render(request, "treasury/statements/counter_payment_list.html", {
        "page": _page(request, selectors.counter_payments_proposed(), PAGE_SIZE),
    })


def _counter_form(suggested, **kwargs) -> CounterPaymentForm:
    """An empty counter payment form, the billing code found in the bank line filled in."""
    return CounterPaymentForm(
        initial={"billing_code": suggested.billing_code if suggested else ""}, **kwargs)


@treasury_required
@require_GET
def payout_list(request):
    return render(request, "treasury/statements/payout_list.html", {
        "page": _page(request, selectors.payout_list(), PAGE_SIZE),
    })


@treasury_required
@require_GET
def payout_detail(request, pk: int):
    payout = selectors.payout_get(pk=pk)
    return render(request, "treasury/statements/payout_detail.html", {
        "payout": payout,
        "transactions": selectors.payout_transactions(payout=payout),
        "totals": selectors.payout_totals(payout=payout),
    })


urlpatterns = [
    path("", statement_list, name="statement_list"),
    path("upload/", statement_upload, name="statement_upload"),
    path("<int:pk>/", statement_detail, name="statement_detail"),
    path("lines/<int:pk>/counter-payment/", counter_payment_record,
         name="counter_payment_record"),
    path("counter-payments/", counter_payment_list, name="counter_payment_list"),
    path("counter-payments/<int:pk>/confirm/", counter_payment_confirm,
         name="counter_payment_confirm"),
    path("counter-payments/<int:pk>/reject/", counter_payment_reject,
         name="counter_payment_reject"),
    path("payouts/", payout_list, name="payout_list"),
    path("payouts/<int:pk>/", payout_detail, name="payout_detail"),
]

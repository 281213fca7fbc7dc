"""Treasury pages for money coming in: bank statements (upload, lines and their matches),
payments made at a bank counter recorded against a line, and the gateway's payouts."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from licensing.once import once
from treasury.access import treasury_required
from treasury.counter import counter_payment_record as record_counter_payment
from treasury.selectors import statements as selectors
from treasury.statements import StatementRefused, statement_import
from treasury.statements.forms import CounterPaymentForm, StatementUploadForm
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
    rows = [{"line": line,
             "form": _counter_form(suggested.get(line.pk), auto_id=f"id_line{line.pk}_%s")
             if line in open_lines else None}
            for line in page]
    return render(request, "treasury/statements/statement_detail.html",
                  {"statement": statement, "page": page, "rows": rows})


@treasury_required
@once
def counter_payment_record(request, pk: int):
    """Record that a bill was paid at a bank counter with the money of bank line ``pk``: the
    only way to settle a bill in cash, always against the bank's booking."""
    line = selectors.bank_line_get(pk=pk)
    suggested = selectors.invoice_suggested(line=line)
    if request.method == "POST":
        form = CounterPaymentForm(request.POST)
        if form.is_valid():
            try:
                record_counter_payment(bank_line=line, invoice=form.cleaned_data["billing_code"],
                                       actor=request.user, note=form.cleaned_data["note"])
            except TransitionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The bill is paid at the bank counter with this "
                                            "bank line."))
                return redirect("treasury:statement_detail", pk=line.statement_id)
    else:
        form = _counter_form(suggested)
    return render(request, "treasury/statements/counter_payment.html", {
        "line": line, "form": form, "suggested": suggested,
        "is_open": selectors.bank_line_is_open(line),
    }, status=400 if request.method == "POST" else 200)


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
    path("payouts/", payout_list, name="payout_list"),
    path("payouts/<int:pk>/", payout_detail, name="payout_detail"),
]

"""Reads for the applicant portal, the catalogue, the SKRD and payment pages, scoped to who is
asking."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from licensing import roles, rules
from licensing import selectors as licensing_selectors
from licensing.answers import answer_display, answer_to_json
from licensing.models import Application, FieldKind, PermitType
from licensing.states import ApplicationState
from payments.fees import FeeBreakdown, FeeError, fee_breakdown, in_force, rule_in_words
from payments.models import Invoice, Payment, Refund
from payments.states import PAYMENT_OPEN, InvoiceState, PaymentState

TREASURY = (roles.TREASURY_OFFICER, roles.TREASURY_SUPERVISOR)


@dataclass(frozen=True)
class FeeQuote:
    """What the applicant sees before a bill exists: free, a breakdown, or why not yet."""

    is_free: bool
    breakdown: FeeBreakdown | None = None
    problem: str = ""


def fee_quote_for(*, application: Application, on: date | None = None) -> FeeQuote:
    """The levy as the application's answers stand, priced with the tariff in force on ``on``
    (today). The bill itself is priced again on the day it is issued."""
    permit_type = application.permit_type
    if permit_type.is_free:
        return FeeQuote(is_free=True)
    try:
        breakdown = fee_breakdown(
            rules=list(permit_type.fee_rules.all()),
            fields={field.key: field for field in permit_type.form_fields.all()},
            answers=application.answers,
            on=on or timezone.localdate(),
        )
    except FeeError as error:
        return FeeQuote(is_free=False, problem=str(error.message))
    return FeeQuote(is_free=False, breakdown=breakdown)


@dataclass(frozen=True)
class RuleInWords:
    label: str
    words: str
    effective_from: date
    effective_to: date | None


def fee_rules_in_words(*, permit_type: PermitType, on: date | None = None) -> list[RuleInWords]:
    """The tariff for the catalogue: the rules in force on ``on`` (today) and those announced."""
    on = on or timezone.localdate()
    fields = {field.key: field for field in permit_type.form_fields.all()}
    return [
        RuleInWords(label=rule.label, words=rule_in_words(rule, fields),
                    effective_from=rule.effective_from, effective_to=rule.effective_to)
        for rule in permit_type.fee_rules.all()
        if rule.effective_to is None or rule.effective_to >= on
    ]


@dataclass(frozen=True)
class FeeExample:
    """The tariff applied to sample answers, so a reader sees the arithmetic once."""

    answers: list[tuple[str, str]]  # (the question, the sample answer as shown)
    breakdown: FeeBreakdown


# The sample quantity of every number a rule reads, moved within the field's limits.
EXAMPLE_QUANTITY = Decimal(100)


def _example_answer(field, tariff: list):
    if field.kind == FieldKind.NUMBER:
        quantity = EXAMPLE_QUANTITY
        if field.max_value is not None:
            quantity = min(quantity, field.max_value)
        if field.min_value is not None:
            quantity = max(quantity, field.min_value)
        return answer_to_json(FieldKind.NUMBER, quantity)
    if field.kind == FieldKind.CHOICE:
        # The first choice that has an index in the tariff, so that the example prices.
        priced = {value for rule in tariff for value in (rule.index_table or {})}
        values = [value for value, _label in field.choice_pairs()]
        return next((value for value in values if value in priced), values[0] if values else None)
    return None


def fee_worked_example(*, permit_type: PermitType, on: date | None = None) -> FeeExample | None:
    """The rules in force on ``on`` (today) priced for sample answers, for the help page. None
    for a free permit, or when the rules cannot price the samples (no rule in force, a rule set
    up wrongly): the page then shows the rules in words alone."""
    if permit_type.is_free:
        return None
    on = on or timezone.localdate()
    fields = {field.key: field for field in permit_type.form_fields.all()}
    tariff = [rule for rule in permit_type.fee_rules.all() if in_force(rule, on)]
    keys = list(dict.fromkeys(
        key for rule in tariff
        for key in (rule.field_key, rule.second_field_key, rule.index_field_key) if key))
    if any(key not in fields for key in keys):
        return None
    answers = {key: _example_answer(fields[key], tariff) for key in keys}
    if None in answers.values():
        return None
    try:
        breakdown = fee_breakdown(rules=tariff, fields=fields, answers=answers, on=on)
    except FeeError:
        return None
    return FeeExample(
        answers=[(fields[key].label, answer_display(fields[key], answers[key])) for key in keys],
        breakdown=breakdown,
    )


def invoice_list_for_application(*, application: Application) -> QuerySet[Invoice]:
    """The bills of an application the caller was allowed to read, newest first."""
    return application.invoices.prefetch_related("lines").order_by("-issued_at", "-pk")


def invoice_get_for_user(*, user, pk: int) -> Invoice:
    """An invoice of an application the user may read (treasury staff read every invoice);
    anything else is a 404, like the application itself."""
    invoice = get_object_or_404(
        Invoice.objects.select_related("application__business", "application__permit_type",
                                       "replaces").prefetch_related("lines", "replaced_by"),
        pk=pk,
    )
    if not any(roles.in_group(user, name) for name in TREASURY):
        licensing_selectors.application_get_for_user(user=user, pk=invoice.application_id)
    return invoice


def invoice_may_reissue(*, invoice: Invoice, user) -> bool:
    """Whether to offer staff a new bill for this expired one (the service decides for real)."""
    return (invoice.state == InvoiceState.EXPIRED
            and invoice.application.state == ApplicationState.EXPIRED
            and rules.may_reissue_bill(invoice.application, user))


def invoice_may_pay(*, invoice: Invoice, user) -> bool:
    """Whether to offer the "Pay" form: an open bill of an application waiting for payment, to
    the people who act for its business (the service decides for real)."""
    return (invoice.state == InvoiceState.ISSUED
            and invoice.application.state == ApplicationState.AWAITING_PAYMENT
            and rules.acts_for_business(user, invoice.application.business))


def invoice_open_payment(*, invoice: Invoice) -> Payment | None:
    """The attempt still waiting for the gateway (a page open, or a bank transfer pending)."""
    return invoice.payments.filter(state__in=PAYMENT_OPEN).first()


def payment_get_for_user(*, user, pk: int) -> Payment:
    """An attempt at paying an invoice the user may read; anything else is a 404."""
    payment = get_object_or_404(Payment.objects.select_related("invoice"), pk=pk)
    invoice = invoice_get_for_user(user=user, pk=payment.invoice_id)
    payment.invoice = invoice
    return payment


def payment_has_receipt(*, payment: Payment) -> bool:
    """A receipt is for money booked to its bill: a payment that matched it, or one the
    treasury accepted for it (an over-payment whose excess goes back as an SKRDLB, an
    under-payment written off). Money held in suspense — paid twice, paid for a closed bill,
    waiting for the treasury — has no receipt."""
    if payment.state != PaymentState.SUCCEEDED:
        return False
    if not payment.needs_review:
        return True
    return (payment.ledger_entries.filter(amount__gt=0)
            .exclude(account_code=settings.TREASURY_SUSPENSE_ACCOUNT).exists())


def refund_list_for_invoice(*, invoice: Invoice) -> QuerySet[Refund]:
    """The refunds of an invoice's payments, for its page. The caller has already checked that
    whoever asks may read the invoice (``payments.selectors.invoice_get_for_user``)."""
    return (Refund.objects.filter(payment__invoice=invoice).select_related("payment")
            .order_by("created_at", "pk"))

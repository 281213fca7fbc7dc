"""Use cases of the payments app: the SKRD from issue to paid, expired or cancelled.

Every invoice state change locks the application row, then the invoice row (always in that
order, as the review services do, so two of them cannot deadlock), checks again what it found,
and moves through ``workflows.machine.fsm_apply``, which writes the audit entry.
"""

import logging
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from licensing.models import Application
from licensing.services import application_transition, sequence_next
from licensing.states import ApplicationState
from payments import notices, numbering, outbound
from payments.fees import FeeBreakdown, FeeError, fee_breakdown
from payments.models import Invoice, InvoiceLine
from payments.states import InvoiceState
from workflows.machine import TransitionRefused, fsm_apply
from workflows.models import TransitionLog

logger = logging.getLogger("izin.payments")


def _lock_application(application_id: int) -> Application:
    return (Application.objects.select_for_update(of=("self",))
            .select_related("permit_type").get(pk=application_id))


def _lock_invoice(invoice_id: int) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice_id)


def _price(application: Application, on) -> tuple[FeeBreakdown, FeeBreakdown]:
    """The breakdown in Indonesian and in English: the SKRD keeps both, like the catalogue.

    Priced first in the language of whoever is acting, so that a ``FeeError`` speaks it.
    """
    rules = list(application.permit_type.fee_rules.all())
    fields = {field.key: field for field in application.permit_type.form_fields.all()}

    def price() -> FeeBreakdown:
        return fee_breakdown(rules=rules, fields=fields, answers=application.answers, on=on)

    price()
    with translation.override("id"):
        indonesian = price()
    with translation.override("en"):
        english = price()
    return indonesian, english


def invoice_issue(*, application: Application) -> Invoice:
    """Issue the SKRD of an application that has entered awaiting payment. Moves money.

    Called by ``licensing.services`` in the transaction that moved the application, under its
    row lock; idempotent: an application's open invoice is returned as it is. The fee is priced
    with the tariff in force today. The due date is ``PermitType.payment_due_days`` calendar days
    after the day of issue (not working days: the bill can be paid online on any day), and the
    bill is payable until the end of that day in Asia/Jakarta.
    """
    with transaction.atomic():
        locked = _lock_application(application.pk)
        current = locked.invoices.filter(state=InvoiceState.ISSUED).first()
        if current is not None:
            return current
        if locked.state != ApplicationState.AWAITING_PAYMENT:
            raise TransitionRefused(_("A bill is issued only when payment is due."),
                                    code="not_allowed")
        issued_at = timezone.now()
        today = timezone.localdate(issued_at)
        try:
            indonesian, english = _price(locked, today)
        except FeeError as error:
            raise TransitionRefused(error.message, code="fee_not_computable") from error
        if indonesian.total <= 0:
            raise TransitionRefused(
                _("The levy comes to Rp 0, so there is nothing to bill. The licensing office "
                  "has to check the fee rules of this permit type."),
                code="fee_not_computable",
            )
        seq = sequence_next(key=numbering.SEQUENCE_KEY, year=today.year)
        invoice = Invoice.objects.create_with_lines(
            lines=[
                InvoiceLine(label_id=line_id.label, label_en=line_en.label,
                            basis_id=line_id.basis, basis_en=line_en.basis,
                            account_code=line_id.account_code, amount=line_id.amount)
                for line_id, line_en in zip(indonesian.lines, english.lines, strict=True)
            ],
            number=numbering.invoice_number(year=today.year, seq=seq),
            billing_code=numbering.billing_code(year=today.year, seq=seq),
            application=locked,
            issued_at=issued_at,
            due_date=today + timedelta(days=locked.permit_type.payment_due_days),
            replaces=locked.invoices.order_by("-issued_at", "-pk").first(),
        )
        # Issuing creates the record rather than moving it, so the entry is written here.
        TransitionLog.objects.create(
            content_type=ContentType.objects.get_for_model(Invoice), object_id=invoice.pk,
            application=locked, transition="issue", source="", target=invoice.state,
        )
        notices.bill_issued(invoice=invoice)
        outbound.invoice_issued(invoice=invoice, total=indonesian.total)
    logger.info("invoice_issued invoice_id=%s application_id=%s total=%s", invoice.pk,
                locked.pk, indonesian.total)
    return invoice


def invoice_cancel_open(*, application: Application) -> None:
    """The application stopped waiting for payment without paying (it was withdrawn): its open
    bill can no longer be paid. Called under the application's row lock."""
    for invoice in application.invoices.select_for_update().filter(state=InvoiceState.ISSUED):
        fsm_apply(instance=invoice, transition="cancel", actor=None, application=application)


def invoice_settle(*, invoice: Invoice, paid_at: datetime) -> Invoice:
    """The gateway has confirmed the money: the bill is paid and the application moves on (to
    review or to issue, after commit). Moves money.

    For the payment services, after they checked amount and currency against ``invoice.total``.
    Idempotent: a paid invoice comes back unchanged. An expired or cancelled invoice is refused
    (``TransitionRefused``): money for it is the treasury's to refund, and never revives the
    application.
    """
    with transaction.atomic():
        application = _lock_application(invoice.application_id)
        locked = _lock_invoice(invoice.pk)
        if locked.state == InvoiceState.PAID:
            return locked
        fsm_apply(instance=locked, transition="settle", actor=None, application=application,
                  paid_at=paid_at)
        application_transition(application=application, transition="confirm_payment",
                               actor=None)
        notices.bill_paid(invoice=locked)
    logger.info("invoice_settled invoice_id=%s application_id=%s", locked.pk, application.pk)
    return locked


def invoice_expire_overdue(*, now: datetime | None = None) -> list[int]:
    """Expire every open invoice whose due date has ended (Asia/Jakarta), and its application.

    Idempotent: a second run finds nothing left to do. Each invoice is its own transaction, so
    one bill paid at the same moment does not hold up the others. Returns the ids it expired.
    """
    today = timezone.localdate(now or timezone.now())
    overdue = Invoice.objects.filter(state=InvoiceState.ISSUED, due_date__lt=today)
    return [invoice_id for invoice_id in overdue.values_list("pk", flat=True)
            if _invoice_expire(invoice_id=invoice_id, today=today)]


@transaction.atomic
def _invoice_expire(*, invoice_id: int, today) -> bool:
    application = _lock_application(
        Invoice.objects.values_list("application_id", flat=True).get(pk=invoice_id))
    invoice = _lock_invoice(invoice_id)
    if invoice.state != InvoiceState.ISSUED or invoice.due_date >= today:
        return False  # paid or replaced since the list was read
    fsm_apply(instance=invoice, transition="expire", actor=None, application=application)
    if application.state == ApplicationState.AWAITING_PAYMENT:
        application_transition(application=application, transition="expire", actor=None)
    logger.info("invoice_expired invoice_id=%s application_id=%s", invoice.pk, application.pk)
    return True


def invoice_reissue(*, application: Application, actor) -> Invoice:
    """Front-office or treasury staff give an expired application a new bill: it goes back to
    awaiting payment, which issues the new invoice (``replaces`` points at the expired one)."""
    with transaction.atomic():
        moved = application_transition(application=application, transition="reissue",
                                       actor=actor)
        invoice = moved.invoices.get(state=InvoiceState.ISSUED)
    logger.info("invoice_reissued invoice_id=%s application_id=%s user_id=%s", invoice.pk,
                moved.pk, actor.pk)
    return invoice

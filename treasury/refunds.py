"""Deciding refunds: which money goes back to a payer, in full or in part, and who agreed.

A refund starts as a system suggestion (``draft``: money for a withdrawn application or an
expired bill, a second payment of one bill, an under- or an overpayment) or as an officer's
proposal. One treasury officer prepares it; a treasury supervisor other than the preparer
approves it (``refund_approve``: the supervisor's role checked here; four eyes also by the
model's ``_is_checker`` permission and a database constraint). Approval queues payments'
``refund_send``, the conversation with the gateway (``payments.refunds``); the ledger books the
refund when payments says it succeeded (``treasury.receivers``).

The refunds holding money (``REFUND_HOLDS_MONEY``) of a payment never add up to more than it
received: checked under the payment's row lock. Locks are taken application, invoice, payment,
refund; none is held while the gateway is asked.
"""

import logging
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.celery import enqueue_on_commit
from licensing.formats import rupiah
from licensing.models import Application
from licensing.services import sequence_next
from licensing.states import ApplicationState
from payments.models import Invoice, Payment, Refund
from payments.refunds import payment_lock, refund_lock
from payments.services import invoice_settle
from payments.states import InvoiceState, PaymentState, RefundReason, ReviewReason
from payments.states import RefundState as S
from payments.tasks import refund_send as refund_send_task
from treasury.access import is_treasury, is_treasury_supervisor
from treasury.ledger import ledger_reclass_to_bill
from treasury.selectors.refunds import refund_amount_left
from workflows.machine import TransitionRefused, fsm_apply
from workflows.models import TransitionLog

logger = logging.getLogger("izin.treasury")

# SKRDLB numbers come from one gap-free sequence per year, like the SKRD's (payments.numbering).
SKRDLB_SEQUENCE_KEY = "skrdlb"


def skrdlb_number(*, year: int, seq: int) -> str:
    """SKRDLB/2026/000123: the assessment of overpaid levy (surat ketetapan retribusi daerah
    lebih bayar) a refund of an overpayment pays out."""
    return f"SKRDLB/{year}/{seq:06d}"


# Checks.


def _require_treasury(actor) -> None:
    if not is_treasury(actor):
        raise TransitionRefused(_("You may not do this."), code="permission_denied")


def _require_refundable(payment: Payment) -> None:
    """Only money the gateway confirmed online can go back through it."""
    if (payment.state != PaymentState.SUCCEEDED or not payment.payment_intent_id
            or not payment.amount_received):
        raise TransitionRefused(
            _("Only a payment the gateway confirmed online can be refunded through it."),
            code="not_refundable")


def _require_amount(*, payment: Payment, amount, refund: Refund | None = None) -> None:
    """A whole, positive number of rupiah, within what is left of the payment (read under its
    row lock, so two officers at once cannot both take the same rupiah)."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise TransitionRefused(_("Enter a whole number of rupiah greater than zero."),
                                code="amount_invalid")
    left = refund_amount_left(payment=payment, excluding=refund)
    if left <= 0:
        raise TransitionRefused(_("Nothing is left to refund of this payment."),
                                code="amount_nothing_left")
    if amount > left:
        raise TransitionRefused(
            _("At most %(left)s of this payment can still be refunded.") % {"left": rupiah(left)},
            code="amount_too_much")


def _require_reason(reason: str) -> None:
    if reason not in RefundReason.values:
        raise TransitionRefused(_("Choose why the money goes back."), code="reason_invalid")


def _require_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise TransitionRefused(_("Write a note saying why."), code="note_missing")
    return note


# Creating a refund.


def _refund_create(*, application: Application, payment: Payment, amount: int, reason: str,
                   key: str, actor, note: str = "",
                   transition: str) -> Refund:
    """The row, in ``draft``, with its gateway idempotency key and, for an overpayment, the
    next SKRDLB number (taken in this transaction, so the sequence has no gaps)."""
    number = None
    if reason == RefundReason.OVERPAYMENT:
        year = timezone.localdate().year
        number = skrdlb_number(year=year, seq=sequence_next(key=SKRDLB_SEQUENCE_KEY, year=year))
    refund = Refund.objects.create(payment=payment, amount=amount, reason=reason, note=note,
                                   skrdlb_number=number,
                                   idempotency_key=key)
    # Creating is not a transition of the machine, so the audit entry is written here.
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(Refund), object_id=refund.pk,
        application=application, transition=transition, source="", target=refund.state,
        actor=actor, note=note,
    )
    return refund


def _suggestion_key(payment: Payment, reason: str) -> str:
    return f"payment:{payment.pk}:refund:{reason}"


def refund_draft(*, payment: Payment, amount: int, reason: str, note: str = "") -> Refund:
    """A system suggestion for the treasury to prepare. Idempotent per payment and reason: the
    draft made before (or what it became) is returned. An overpayment's draft gets its SKRDLB
    number; ``refunds_suggest`` is what also settles the bill it overpaid."""
    _require_reason(reason)
    with transaction.atomic():
        application, _invoice, locked = payment_lock(payment.pk)
        existing = Refund.objects.filter(idempotency_key=_suggestion_key(locked, reason)).first()
        if existing is not None:
            return existing
        _require_refundable(locked)
        if isinstance(amount, bool) or not isinstance(amount, int) or not (
                0 < amount <= locked.amount_received):
            raise TransitionRefused(_("Enter a whole number of rupiah greater than zero."),
                                    code="amount_invalid")
        refund = _refund_create(application=application, payment=locked, amount=amount,
                                reason=reason, key=_suggestion_key(locked, reason), actor=None,
                                note=note, transition="suggest")
    logger.info("refund_suggested refund_id=%s payment_id=%s reason=%s amount=%s", refund.pk,
                locked.pk, reason, amount)
    return refund


def refund_propose(*, payment: Payment, amount: int, reason: str, note: str, actor) -> Refund:
    """An officer proposes a full or partial refund of a succeeded online payment; it waits for
    a supervisor's approval. Refused beyond what is left of the payment."""
    _require_treasury(actor)
    _require_reason(reason)
    note = _require_note(note)
    with transaction.atomic():
        application, _invoice, locked = payment_lock(payment.pk)
        _require_refundable(locked)
        _require_amount(payment=locked, amount=amount)
        refund = _refund_create(application=application, payment=locked, amount=amount,
                                reason=reason, key=f"refund:{uuid.uuid4().hex}", actor=actor,
                                transition="propose")
        fsm_apply(instance=refund, transition="prepare", actor=actor, application=application,
                  note=note, by=actor, amount=amount, remark=note)
    logger.info("refund_proposed refund_id=%s payment_id=%s amount=%s user_id=%s", refund.pk,
                locked.pk, amount, actor.pk)
    return refund


# The treasury's steps: prepare, approve, reject.


def refund_prepare(*, refund: Refund, actor, amount: int, note: str) -> Refund:
    """An officer takes a suggestion on, with the amount to give back (within what is left) and
    a note. An SKRDLB's amount is the overpayment it assessed and stays as it is."""
    _require_treasury(actor)
    with transaction.atomic():
        application, payment, locked = refund_lock(refund.pk)
        if locked.skrdlb_number and amount != locked.amount:
            raise TransitionRefused(
                _("An SKRDLB refunds exactly the overpayment it assessed, %(amount)s.")
                % {"amount": rupiah(locked.amount)}, code="amount_fixed")
        if locked.state == S.DRAFT:  # otherwise the machine says why not
            _require_refundable(payment)
            _require_amount(payment=payment, amount=amount, refund=locked)
        fsm_apply(instance=locked, transition="prepare", actor=actor, application=application,
                  note=note.strip(), by=actor, amount=amount, remark=note.strip())
    logger.info("refund_prepared refund_id=%s amount=%s user_id=%s", locked.pk, amount, actor.pk)
    return locked


def refund_refusal(*, refund: Refund, actor) -> str | None:
    """Why ``actor`` may not approve ``refund``, or None: for the page, which offers the button
    only to whoever ``refund_approve`` would let through."""
    if not is_treasury_supervisor(actor):
        # Money leaves the city's account: the supervisor answers for it, not any officer.
        return _("Only a treasury supervisor may approve a refund.")
    if refund.prepared_by_id == actor.pk:
        return _("You prepared this refund: another treasury supervisor must approve it.")
    return None


def refund_approve(*, refund: Refund, actor) -> Refund:
    """A treasury supervisor who did not prepare it approves: after commit, the gateway is
    asked (``refund_send``)."""
    _require_treasury(actor)
    with transaction.atomic():
        application, _payment, locked = refund_lock(refund.pk)
        refusal = refund_refusal(refund=locked, actor=actor)
        if refusal:
            raise TransitionRefused(refusal, code="permission_denied")
        fsm_apply(instance=locked, transition="approve", actor=actor, application=application,
                  by=actor)
        enqueue_on_commit(refund_send_task, locked.pk)
    logger.info("refund_approved refund_id=%s user_id=%s", locked.pk, actor.pk)
    return locked


def refund_reject(*, refund: Refund, actor, note: str) -> Refund:
    """A suggestion or a proposal is turned down, with a note; its amount is free again."""
    _require_treasury(actor)
    note = _require_note(note)
    with transaction.atomic():
        application, _payment, locked = refund_lock(refund.pk)
        fsm_apply(instance=locked, transition="reject", actor=actor, application=application,
                  note=note)
    logger.info("refund_rejected refund_id=%s user_id=%s", locked.pk, actor.pk)
    return locked


# Suggestions from flagged payments.


def refunds_suggest(*, payment: Payment) -> list[Refund]:
    """Drafts for a succeeded payment flagged for the treasury. Idempotent: a payment that has
    any refund already gets nothing more.

    Paid for a withdrawn application, an expired bill, a bill already paid (a duplicate), less
    than the bill, or in another currency: all of it goes back. Paid more than an open bill:
    the bill is settled with it (the application moves on), the bill's total moves from
    suspense to the bill's revenue accounts, and the excess becomes an SKRDLB to refund.
    """
    with transaction.atomic():
        application, invoice, locked = payment_lock(payment.pk)
        if (locked.state != PaymentState.SUCCEEDED or not locked.needs_review
                or not locked.payment_intent_id or locked.refunds.exists()):
            return []
        suggestion = _suggestion(application=application, invoice=invoice, payment=locked)
        if suggestion is None:
            return []
        reason, amount = suggestion
        refund = refund_draft(payment=locked, amount=amount, reason=reason)
        if reason == RefundReason.OVERPAYMENT:
            invoice_settle(invoice=invoice, paid_at=locked.succeeded_at)
            ledger_reclass_to_bill(payment=locked, amount=invoice.total,
                                   note=refund.skrdlb_number)
    return [refund]


def _suggestion(*, application: Application, invoice: Invoice,
                payment: Payment) -> tuple[str, int] | None:
    """Why and how much of a flagged payment goes back, as things stand now."""
    received = payment.amount_received
    if payment.review_reason == ReviewReason.CURRENCY_MISMATCH:
        return RefundReason.OTHER, received
    if invoice.state == InvoiceState.PAID:
        return RefundReason.DUPLICATE, received
    if invoice.state == InvoiceState.EXPIRED:
        return RefundReason.BILL_EXPIRED, received
    if (invoice.state == InvoiceState.CANCELLED
            or application.state == ApplicationState.WITHDRAWN):
        return RefundReason.APPLICATION_WITHDRAWN, received
    if application.state != ApplicationState.AWAITING_PAYMENT:
        return RefundReason.OTHER, received
    total = invoice.total
    if received < total:
        return RefundReason.UNDERPAYMENT, received
    if received > total:
        return RefundReason.OVERPAYMENT, received - total
    return None


def refunds_suggest_all() -> int:
    """Suggest refunds for every flagged payment that has none yet (one whose suggestion was
    lost, or that was flagged before suggestions existed). Idempotent. Returns how many drafts
    it made."""
    flagged = (Payment.objects.filter(state=PaymentState.SUCCEEDED, needs_review=True,
                                      refunds__isnull=True)
               .exclude(payment_intent_id="").order_by("pk"))
    made = 0
    for payment in flagged:
        try:
            made += len(refunds_suggest(payment=payment))
        except TransitionRefused as error:
            logger.warning("refund_suggest_failed payment_id=%s error=%s", payment.pk, error)
    return made

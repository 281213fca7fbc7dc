"""Which resolutions an exception takes now: the one answer the services enforce and the
exception page offers.

``resolution_refusal`` says why a resolution would be refused, or None when the service would
accept it. ``treasury.exceptions`` raises it under its locks; the page offers only what
``resolution_options`` lets through and tells why not the others, so no choice on the page is
one the service refuses. A manual match asked about without naming what it matches asks
whether anything is free to match: the service, given a target, checks that one.

What each kind takes (``RESOLUTIONS``), and on what each resolution depends:
- EXPLAINED: always, by the officer alone.
- REFUND (an amount difference, a second payment): a payment made online, of which an officer
  has prepared a refund (a refund at a bank counter is the bank's, outside Izin).
- WRITE_OFF: an under-payment only while its bill is open and no refund of it is approved
  (an overpayment is given back, never kept); the other kinds move no money.
- MANUAL_MATCH: the exception's own row can still be linked (a charge, a bank credit free of
  payouts and counter payments, a payout not in the bank) and something is free to link it to.
WRITE_OFF and MANUAL_MATCH are proposed, then approved by a supervisor; the others resolve.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payments.models import Payment, Refund
from payments.states import REFUND_HOLDS_MONEY, InvoiceState, PaymentState, RefundState
from treasury import discrepancies
from treasury.access import is_treasury
from treasury.discrepancies import CHARGE_TYPES
from treasury.models import Discrepancy, GatewayTransaction
from treasury.states import NEEDS_CHECKER, DiscrepancyState
from treasury.states import DiscrepancyKind as K
from treasury.states import Resolution as R

# Which resolutions each kind takes, in the order the page offers them.
RESOLUTIONS = {
    K.UNKNOWN_TRANSACTION: (R.EXPLAINED, R.MANUAL_MATCH, R.WRITE_OFF),
    K.UNSETTLED_PAYMENT: (R.EXPLAINED, R.WRITE_OFF),
    K.AMOUNT_MISMATCH: (R.EXPLAINED, R.REFUND, R.WRITE_OFF),
    K.DUPLICATE_PAYMENT: (R.EXPLAINED, R.REFUND),
    K.PAYOUT_MISMATCH: (R.EXPLAINED, R.WRITE_OFF),
    K.UNMATCHED_BANK_LINE: (R.EXPLAINED, R.MANUAL_MATCH, R.WRITE_OFF),
    K.PAYOUT_NOT_IN_BANK: (R.EXPLAINED, R.MANUAL_MATCH, R.WRITE_OFF),
}
# What a manual match of each kind names: the model's field for it.
MATCH_FIELD = {
    K.UNKNOWN_TRANSACTION: "match_payment",
    K.UNMATCHED_BANK_LINE: "match_payout",
    K.PAYOUT_NOT_IN_BANK: "match_bank_line",
}
RESOLVE, PROPOSE = "resolve", "propose"  # the officer's two steps
ANY_TARGET = object()  # a manual match asked about without its target: is any free?


@dataclass(frozen=True)
class Refusal:
    """Why a service refuses: ``message`` for the officer, ``code`` for the caller."""

    message: str | Promise
    code: str


@dataclass(frozen=True)
class Option:
    """One resolution of an exception's kind, for the page: offered when ``refusal`` is None."""

    resolution: R
    step: str
    refusal: Refusal | None

    @property
    def offered(self) -> bool:
        return self.refusal is None


def step_of(resolution: str) -> str:
    return PROPOSE if resolution in NEEDS_CHECKER else RESOLVE


# Candidates: what a manual match may name.

def payments_awaiting_settlement() -> QuerySet:
    """Succeeded payments that no gateway transaction has been matched to."""
    return (Payment.objects.filter(state=PaymentState.SUCCEEDED)
            .filter(~Exists(GatewayTransaction.objects.filter(payment=OuterRef("pk")))))


CANDIDATES = {
    "match_payment": payments_awaiting_settlement,
    "match_payout": discrepancies.payouts_not_in_bank,
    "match_bank_line": discrepancies.payout_candidate_lines,
}
NOTHING_FREE = {
    "match_payment": gettext_lazy("No payment of ours is waiting for its gateway transaction: "
                                  "there is nothing to match it to."),
    "match_payout": gettext_lazy("No payout is waiting for its bank line: there is nothing to "
                                 "match it to."),
    "match_bank_line": gettext_lazy("No bank credit is free to take this payout: upload the "
                                    "statement that holds it."),
}


def match_candidates(*, discrepancy: Discrepancy) -> QuerySet | None:
    """What the exception's manual match may name, or None for a kind that takes none."""
    field = MATCH_FIELD.get(discrepancy.kind)
    return CANDIDATES[field]() if field else None


# The rules, one per condition.

def kind_refusal(discrepancy: Discrepancy, resolution: str, *, step: str) -> Refusal | None:
    """The kind takes ``resolution``, and ``step`` is the way to it."""
    if resolution not in RESOLUTIONS[discrepancy.kind]:
        label = R(resolution).label if resolution in R.values else resolution
        return Refusal(_("“%(resolution)s” does not apply to this kind of exception.")
                       % {"resolution": label}, "resolution_invalid")
    if step == PROPOSE and resolution not in NEEDS_CHECKER:
        return Refusal(_("This needs no supervisor's approval: resolve it with a note."),
                       "resolution_invalid")
    if step == RESOLVE and resolution in NEEDS_CHECKER:
        return Refusal(_("A write-off or a manual match needs a supervisor's approval: "
                         "propose it."), "resolution_invalid")
    return None


def refund_refusal(discrepancy: Discrepancy) -> Refusal | None:
    """A refund of the exception's payment has been prepared."""
    if discrepancy.payment_id is None:
        return Refusal(_("Only an online payment is refunded through Izin; a payment at a bank "
                         "counter is given back by the bank: resolve it with an explanation."),
                       "resolution_invalid")
    if not Refund.objects.filter(payment_id=discrepancy.payment_id,
                                 state__in=REFUND_HOLDS_MONEY).exists():
        return Refusal(_("No refund of this payment has been prepared yet: prepare it under "
                         "Refunds, then resolve the exception with it."), "resolution_invalid")
    return None


def write_off_refusal(discrepancy: Discrepancy) -> Refusal | None:
    """What a write-off of this exception would do can still be done (asked again on approval,
    under the locks)."""
    if discrepancy.kind != K.AMOUNT_MISMATCH:
        return None
    payment, invoice = discrepancy.payment, discrepancy.invoice
    if payment is None or invoice is None:
        return Refusal(_("This exception names no payment to write off."), "resolution_invalid")
    if (payment.amount_received or 0) >= invoice.total:
        return Refusal(_("An overpayment is not written off: the excess is given back (SKRDLB). "
                         "Resolve the exception with its refund."), "resolution_invalid")
    if invoice.state != InvoiceState.ISSUED:
        return Refusal(_("The bill is no longer open (%(state)s), so it cannot be settled with "
                         "this payment: refund the payment instead.")
                       % {"state": invoice.get_state_display()}, "resolution_invalid")
    if payment.refunds.filter(state__in=(RefundState.APPROVED, RefundState.PENDING,
                                         RefundState.SUCCEEDED)).exists():
        return Refusal(_("A refund of this payment is approved already: the money is going "
                         "back, so the bill cannot be settled with it."), "resolution_invalid")
    return None


def match_refusal(discrepancy: Discrepancy, target=ANY_TARGET) -> Refusal | None:
    """The exception's own row can still be matched, and ``target`` is free to match it (with
    ``ANY_TARGET``: something is)."""
    kind = discrepancy.kind
    if kind == K.UNKNOWN_TRANSACTION:
        txn = discrepancy.gateway_transaction
        if txn is None or txn.type not in CHARGE_TYPES:
            return Refusal(_("Only a charge can be matched to a payment by hand."),
                           "match_invalid")
        if txn.payment_id or txn.refund_id:
            return Refusal(_("This gateway transaction is matched already."), "match_invalid")
    elif kind == K.UNMATCHED_BANK_LINE:
        if not discrepancies.payout_candidate_lines().filter(pk=discrepancy.bank_line_id).exists():
            return Refusal(_("This bank line cannot take a payout: it is a debit, matched "
                             "already, or used for a counter payment."), "match_invalid")
    elif kind == K.PAYOUT_NOT_IN_BANK:
        if not discrepancies.payouts_not_in_bank().filter(pk=discrepancy.payout_id).exists():
            return Refusal(_("This payout is on a bank line already."), "match_invalid")
    candidates = match_candidates(discrepancy=discrepancy)
    if target is ANY_TARGET:
        if candidates is not None and not candidates.exists():
            return Refusal(NOTHING_FREE[MATCH_FIELD[kind]], "match_invalid")
        return None
    if target is None:
        return Refusal(_("Choose what it matches."), "match_missing")
    if not candidates.filter(pk=target.pk).exists():
        return Refusal(_("What you chose is matched to something else already."),
                       "match_invalid")
    return None


def treasury_refusal(actor) -> Refusal | None:
    if not is_treasury(actor):
        return Refusal(_("Only treasury staff may resolve reconciliation exceptions."),
                       "permission_denied")
    return None


def _who_and_when_refusal(discrepancy: Discrepancy, actor) -> Refusal | None:
    if refusal := treasury_refusal(actor):
        return refusal
    if discrepancy.state != DiscrepancyState.OPEN:
        return Refusal(_("This action is not possible now (current state: %(state)s).")
                       % {"state": discrepancy.get_state_display()}, "not_allowed")
    return None


def _resolution_refusal(discrepancy: Discrepancy, resolution: str, *, step: str,
                        target) -> Refusal | None:
    refusal = kind_refusal(discrepancy, resolution, step=step)
    if refusal is None and resolution == R.REFUND:
        refusal = refund_refusal(discrepancy)
    elif refusal is None and resolution == R.WRITE_OFF:
        refusal = write_off_refusal(discrepancy)
    elif refusal is None and resolution == R.MANUAL_MATCH:
        refusal = match_refusal(discrepancy, target)
    return refusal


def resolution_refusal(*, discrepancy: Discrepancy, resolution: str, actor,
                       step: str | None = None, target=ANY_TARGET) -> Refusal | None:
    """Why ``actor`` may not resolve (``step`` RESOLVE) or propose (PROPOSE) ``discrepancy``
    with ``resolution`` now, or None. ``step``: the resolution's own unless given (a service
    asks for its own step); ``target``: what a manual match names."""
    return (_who_and_when_refusal(discrepancy, actor)
            or _resolution_refusal(discrepancy, resolution, step=step or step_of(resolution),
                                   target=target))


def resolution_options(*, discrepancy: Discrepancy, actor) -> list[Option]:
    """Every resolution the exception's kind takes, each offered or refused with why."""
    refused = _who_and_when_refusal(discrepancy, actor)
    return [Option(resolution, step_of(resolution), refused or _resolution_refusal(
        discrepancy, resolution, step=step_of(resolution), target=ANY_TARGET))
        for resolution in RESOLUTIONS[discrepancy.kind]]


def resolutions_allowed(discrepancy: Discrepancy, user) -> list[R]:
    """The resolutions ``user`` may choose for ``discrepancy`` now: those the services accept
    (a manual match, with a target still free)."""
    return [option.resolution for option in resolution_options(discrepancy=discrepancy,
                                                               actor=user) if option.offered]

"""The treasury's states and kinds: exceptions, how they are resolved, statements, the books."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DiscrepancyKind(models.TextChoices):
    """The exceptions reconciliation finds, each with its own queue."""

    UNKNOWN_TRANSACTION = "unknown_txn", _("Gateway transaction with no payment of ours")
    UNSETTLED_PAYMENT = "unsettled", _("Payment the gateway has not settled")
    AMOUNT_MISMATCH = "amount", _("Paid amount differs from the bill")
    DUPLICATE_PAYMENT = "duplicate", _("Two payments for one bill")
    PAYOUT_MISMATCH = "payout_sum", _("Payout does not add up to its transactions")
    UNMATCHED_BANK_LINE = "bank_line", _("Bank line with no payout")
    PAYOUT_NOT_IN_BANK = "payout_bank", _("Payout that never reached the bank")


class DiscrepancyState(models.TextChoices):
    OPEN = "open", _("Open")
    AWAITING_APPROVAL = "awaiting", _("Awaiting a supervisor's approval")
    RESOLVED = "resolved", _("Resolved")
    CLEARED = "cleared", _("Cleared by a later match")


DISCREPANCY_DONE = frozenset({DiscrepancyState.RESOLVED, DiscrepancyState.CLEARED})


class Resolution(models.TextChoices):
    """How an officer closes an exception. Write-offs and manual matches need a treasury
    supervisor's approval."""

    EXPLAINED = "explained", _("Explained")
    REFUND = "refund", _("Refund proposed")
    WRITE_OFF = "write_off", _("Written off")
    MANUAL_MATCH = "manual_match", _("Matched by hand")


NEEDS_CHECKER = frozenset({Resolution.WRITE_OFF, Resolution.MANUAL_MATCH})


class CounterPaymentState(models.TextChoices):
    """A payment at a bank counter is proposed by one officer and confirmed by a second before
    the bill is settled: a bank line and a bill chosen by one person never move money alone."""

    PROPOSED = "proposed", _("Proposed, awaiting a second officer")
    CONFIRMED = "confirmed", _("Confirmed: the bill is paid")
    REJECTED = "rejected", _("Rejected")


# A counter payment in these holds its bank line: no other counter payment, and no payout,
# may take it (a rejected one lets it go).
COUNTER_HOLDS_LINE = frozenset({CounterPaymentState.PROPOSED, CounterPaymentState.CONFIRMED})


class StatementFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    MT940 = "mt940", _("MT940")


class LedgerKind(models.TextChoices):
    """What moved a rupiah on the city's books."""

    PAYMENT = "payment", _("Online payment")
    COUNTER = "counter", _("Payment at a bank counter")
    REFUND = "refund", _("Refund")
    RECLASS = "reclass", _("Reclassification")


class LedgerMethod(models.TextChoices):
    CARD = "card", _("Card")
    VA = "va", _("Bank transfer to a virtual account")
    QRIS = "qris", _("QRIS")
    COUNTER = "counter", _("Bank counter")

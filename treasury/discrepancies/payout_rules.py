"""The exceptions about payouts and the bank: a payout that does not add up, a bank line
of no payout, a payout that never reached the bank."""

from datetime import date

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Abs, Coalesce, JSONObject
from django.utils.translation import gettext_lazy as _

from treasury.discrepancies.common import (
    PAYOUT_DEAD,
    PAYOUT_OWN_TYPES,
    DaysAfter,
    K,
    Rule,
    counter_payments_paid,
    key,
    names_payout,
    open_of_kind,
    payouts_not_in_bank,
)
from treasury.models import BankLine, GatewayPayout, GatewayTransaction


def _window() -> int:
    return settings.TREASURY_BANK_ARRIVAL_DAYS


def _payout_net(payout_ref: str) -> Coalesce:
    grouped = (GatewayTransaction.objects.filter(payout=OuterRef(payout_ref))
               .exclude(type__in=PAYOUT_OWN_TYPES).order_by().values("payout"))
    return Coalesce(Subquery(grouped.annotate(total=Sum("net")).values("total")), 0,
                    output_field=BigIntegerField())


# -- payout_sum -----------------------------------------------------------------------------

def _payout_sum_found(today: date) -> QuerySet:
    grouped = ~Q(transactions__type__in=PAYOUT_OWN_TYPES)
    return (GatewayPayout.objects.filter(transactions_pulled_at__isnull=False)
            .exclude(status__in=PAYOUT_DEAD)
            .annotate(_net=Coalesce(Sum("transactions__net", filter=grouped), 0,
                                    output_field=BigIntegerField()),
                      _count=Count("transactions", filter=grouped))
            .exclude(_net=F("amount"))
            .annotate(_key=key("payout_sum:", "payout_id"), _natural=F("arrival_date")))


def _payout_sum_columns() -> dict:
    difference = F("amount") - F("_net")
    return {"amount": Abs(difference), "payout_id": F("pk"), "evidence": JSONObject(
        payout="payout_id", payout_amount="amount", transactions_net="_net",
        transactions="_count", difference=difference, arrival_date="arrival_date")}


def _payout_sum_cleared() -> QuerySet:
    return (open_of_kind(K.PAYOUT_MISMATCH).annotate(_net=_payout_net("payout"))
            .filter(_net=F("payout__amount")))


# -- bank_line ------------------------------------------------------------------------------

def _bank_line_found(today: date) -> QuerySet:
    return (BankLine.objects.filter(payout__isnull=True)
            # Money only a proposal explains is not explained yet: the day waits for it.
            .filter(~Exists(counter_payments_paid().filter(bank_line=OuterRef("pk"))))
            .annotate(_key=key("bank_line:"), _natural=F("booked_on")))


def _bank_line_columns() -> dict:
    # A payout the line names although the amounts differ (a fee the bank kept?).
    named = GatewayPayout.objects.filter(names_payout(OuterRef)).order_by("pk")
    return {"amount": Abs("amount"), "bank_line_id": F("pk"), "evidence": JSONObject(
        bank_line="pk", statement="statement__filename", line_number="line_number",
        booked_on="booked_on", line_amount="amount", bank_reference="bank_reference",
        description="description", names_payout=Subquery(named.values("payout_id")[:1]),
        payout_amount=Subquery(named.values("amount")[:1]))}


def _bank_line_cleared() -> QuerySet:
    linked = BankLine.objects.filter(pk=OuterRef("bank_line"), payout__isnull=False)
    return open_of_kind(K.UNMATCHED_BANK_LINE).filter(
        Exists(linked) | Exists(counter_payments_paid().filter(bank_line=OuterRef("bank_line"))))


# -- payout_bank ----------------------------------------------------------------------------

def _payout_bank_found(today: date) -> QuerySet:
    later = BankLine.objects.filter(booked_on__gt=DaysAfter(OuterRef("arrival_date"), _window()))
    return (payouts_not_in_bank().filter(Exists(later))
            .annotate(_key=key("payout_bank:", "payout_id"), _natural=F("arrival_date")))


def _payout_bank_columns() -> dict:
    last_line = BankLine.objects.order_by("-booked_on").values("booked_on")[:1]
    return {"amount": F("amount"), "payout_id": F("pk"), "evidence": JSONObject(
        payout="payout_id", payout_amount="amount", status="status",
        arrival_date="arrival_date", expected_by=DaysAfter(F("arrival_date"), _window()),
        statements_until=Subquery(last_line))}


def _payout_bank_cleared() -> QuerySet:
    return open_of_kind(K.PAYOUT_NOT_IN_BANK).filter(
        Exists(BankLine.objects.filter(payout=OuterRef("payout"))))


RULES = (
    Rule(K.PAYOUT_MISMATCH, _payout_sum_found, _payout_sum_columns, _payout_sum_cleared,
         _("The payout now adds up.")),
    Rule(K.UNMATCHED_BANK_LINE, _bank_line_found, _bank_line_columns, _bank_line_cleared,
         _("The bank line is now matched.")),
    Rule(K.PAYOUT_NOT_IN_BANK, _payout_bank_found, _payout_bank_columns, _payout_bank_cleared,
         _("The payout is now on a bank line.")),
)

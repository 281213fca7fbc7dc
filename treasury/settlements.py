"""Gateway settlements brought in: every payout and the balance transactions it groups.

Rows are keyed by the gateway's ids, so pulling the same settlement again adds nothing. A
payout's transactions are written as they arrive, a batch at a time; ``transactions_pulled_at``
is set only after the last one, so a run stopped half-way (a worker killed, the gateway gone)
leaves that payout incomplete and the next run pages through it again, adding what is missing.
No database lock is held while the gateway answers.
"""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice

from django.db import transaction
from django.utils import timezone

from payments.gateway import gateway_client
from payments.gateway.client import GatewayClient
from payments.gateway.types import BalanceTransaction, Payout
from treasury.models import GatewayPayout, GatewayTransaction

logger = logging.getLogger("izin.treasury")

# Transactions written per database transaction: one gateway page.
BATCH_SIZE = 100


@dataclass(frozen=True)
class SettlementPull:
    """What one pull found: payouts listed and new, payouts whose transactions it completed,
    and transactions new to Izin."""

    payouts_seen: int = 0
    payouts_added: int = 0
    payouts_completed: int = 0
    transactions_added: int = 0


def settlements_pull(*, client: GatewayClient | None = None) -> SettlementPull:
    """Page through all the gateway's payouts, then through the transactions of each payout
    not yet complete in Izin. Idempotent; raises ``GatewayError`` when the gateway cannot be
    asked (what was written before stays, and the next run goes on from there)."""
    client = client or gateway_client()
    seen = added = 0
    for payout in client.iter_payouts():
        seen += 1
        added += _payout_upsert(payout)
    completed = transactions_added = 0
    incomplete = GatewayPayout.objects.filter(transactions_pulled_at__isnull=True)
    for payout in incomplete.order_by("created_at_gateway", "pk"):
        transactions_added += _transactions_pull(client=client, payout=payout)
        completed += 1
    report = SettlementPull(payouts_seen=seen, payouts_added=added,
                            payouts_completed=completed, transactions_added=transactions_added)
    logger.info("settlements_pulled payouts_seen=%s payouts_added=%s payouts_completed=%s "
                "transactions_added=%s", seen, added, completed, transactions_added)
    return report


def _payout_upsert(payout: Payout) -> int:
    """1 if the payout is new to Izin. A known payout only follows its status at the gateway
    (paid, failed, ...); its amount and transactions do not change there."""
    row, created = GatewayPayout.objects.get_or_create(
        payout_id=payout.id,
        defaults={
            "amount": payout.amount,
            "currency": payout.currency,
            "status": payout.status,
            "arrival_date": _day(payout.arrival_date or payout.created),
            "created_at_gateway": _moment(payout.created),
        },
    )
    if not created and row.status != payout.status:
        GatewayPayout.objects.filter(pk=row.pk).update(status=payout.status)
    return int(created)


def _transactions_pull(*, client: GatewayClient, payout: GatewayPayout) -> int:
    added = 0
    pages = client.iter_balance_transactions(payout=payout.payout_id)
    for batch in _batches(pages, BATCH_SIZE):
        added += _transactions_write(payout=payout, batch=batch)
    GatewayPayout.objects.filter(pk=payout.pk, transactions_pulled_at__isnull=True).update(
        transactions_pulled_at=timezone.now())
    return added


def _transactions_write(*, payout: GatewayPayout, batch: tuple[BalanceTransaction, ...]) -> int:
    with transaction.atomic():
        known = set(GatewayTransaction.objects.filter(txn_id__in=[txn.id for txn in batch])
                    .values_list("txn_id", flat=True))
        new = [
            GatewayTransaction(
                txn_id=txn.id, type=txn.type, amount=txn.amount, fee=txn.fee, net=txn.net,
                currency=txn.currency, source=txn.source or "",
                created_at_gateway=_moment(txn.created),
                available_on=_moment(txn.available_on) if txn.available_on else None,
                payout=payout,
            )
            for txn in batch if txn.id not in known
        ]
        # A run overlapping this one may have written some of them a moment ago: skipped.
        GatewayTransaction.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _batches(items: Iterable[BalanceTransaction], size: int
             ) -> Iterator[tuple[BalanceTransaction, ...]]:
    items = iter(items)
    while batch := tuple(islice(items, size)):
        yield batch


def _moment(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


def _day(timestamp: int) -> date:
    """The gateway dates a payout's arrival at midnight UTC: the same date in Jakarta."""
    return _moment(timestamp).date()

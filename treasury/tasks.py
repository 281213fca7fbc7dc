"""The treasury's Celery tasks. Each is idempotent: it may run twice, or be killed and re-run."""

import logging
from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from config.celery import retry_transient
from payments.models import Payment
from treasury import matching, refunds, settlements
from treasury.matching import reconcile, statements_record_matching
from treasury.models import BankStatement
from workflows.machine import TransitionRefused

logger = logging.getLogger("izin.treasury")


# Beat runs this hourly (settings.CELERY_BEAT_SCHEDULE). Pulling adds only what Izin does not
# hold yet and matching is idempotent, so a redelivered, overlapping or re-run task is harmless;
# acks_late gives a lost worker's run to another. The limit: a pull is bounded by the gateway
# client's timeouts per page; a stuck run must end well before the next hour's.
@shared_task(acks_late=True, time_limit=30 * 60)
def settlements_pull() -> dict[str, dict[str, int]]:
    started = timezone.now()
    pulled = settlements.settlements_pull()
    matched = reconcile()
    # Statements whose own run after the upload was lost (or that came before it existed);
    # one uploaded since this run started has its own run coming, which sees its lines.
    statements_record_matching(BankStatement.objects.filter(matched_at__isnull=True,
                                                            uploaded_at__lt=started))
    return {"pulled": asdict(pulled), "matched": matched}


# Queued when a statement is imported (``treasury.statements.importing``): its lines are matched
# at once, not at the next hour. Matching is idempotent: a second run links and finds nothing
# new, and keeps the statement's result as of then.
@shared_task(acks_late=True, time_limit=10 * 60, **retry_transient(max_retries=5))
def statement_match(statement_id: int) -> dict[str, int]:
    return matching.statement_match(statement_id=statement_id)


# Queued after a payment succeeded flagged for the treasury (``treasury.receivers``). A payment
# with a refund already gets nothing more, so a second run is harmless; a refusal (the bill
# moved meanwhile) is logged and ``refunds_suggest_all`` finds the payment again.
@shared_task(acks_late=True, time_limit=120, **retry_transient(max_retries=10))
def payment_refunds_suggest(payment_id: int) -> int:
    try:
        return len(refunds.refunds_suggest(payment=Payment.objects.get(pk=payment_id)))
    except TransitionRefused as error:
        logger.warning("refund_suggest_failed payment_id=%s error=%s", payment_id, error)
        return 0


# Beat: flagged payments whose suggestion never ran (a lost task) get their drafts. Idempotent.
@shared_task(acks_late=True, time_limit=600)
def refunds_suggest_all() -> int:
    return refunds.refunds_suggest_all()

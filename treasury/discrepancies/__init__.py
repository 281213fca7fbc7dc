"""The exceptions reconciliation finds ("pengecualian") and what clears them, set-based.

Each exception is kept once by its key, with the evidence an officer needs to decide, in the
business day it belongs to (its natural day, or the first open day when that one is closed:
``treasury.ledger.book_day_for``), with the amount at stake. Per kind — key; natural
day; amount at stake; what clears it (a system ``clear``, audited):

- ``unknown_txn``: a charge or refund balance transaction of no payment/refund of ours —
  ``unknown_txn:<txn id>``; the day the gateway made it; |gross|; it gets matched.
- ``unsettled``: a succeeded payment with a charge id, or a succeeded refund of ours, with no
  balance transaction ``TREASURY_SETTLEMENT_DAYS`` days after it succeeded —
  ``unsettled:payment:<pk>`` / ``unsettled:refund:<pk>``; the day it succeeded; the amount;
  its balance transaction gets matched.
- ``amount``: a succeeded payment flagged ``amount_mismatch`` — ``amount:payment:<pk>``; the
  day it succeeded; |received - bill|; SUCCEEDED refunds cover the excess (over-paid) or all
  that was received (under-paid).
- ``duplicate``: every succeeded payment of one bill, online or at the counter (confirmed),
  after the one that pays it — ``duplicate:payment:<pk>`` / ``duplicate:counter:<pk>``; the
  day it was paid; its amount; SUCCEEDED refunds cover it (online payments only: a counter
  payment is given back by the bank, outside Izin, and an officer resolves it). The one that
  pays the bill is the first Izin learnt of, a payment accepted for the bill (not flagged for
  review) before one flagged: an under-payment followed by a full payment makes the
  under-payment the extra.
- ``payout_sum``: a payout whose balance transactions are all pulled and whose net sum is not
  the payout — ``payout_sum:<payout id>``; its arrival date; |difference|; it adds up.
- ``bank_line``: a bank line, credit or debit (a bank charge needs explaining too), with no
  payout and no confirmed counter payment (a proposal alone explains nothing yet) —
  ``bank_line:<pk>``; its booking date; |amount|; it gets a payout or a confirmed counter
  payment.
- ``payout_bank``: a payout with no bank line although the statements already go past its
  arrival date + ``TREASURY_BANK_ARRIVAL_DAYS`` (a line booked after that exists) — so a
  statement not uploaded yet floods nothing — ``payout_bank:<payout id>``; its arrival date;
  its amount; a bank line gets linked to it.

A failed or cancelled payout is never expected in the bank, nor checked against its sum.

The rules: ``payment_rules`` (payments and refunds) and ``payout_rules`` (payouts and the bank),
on what they share with matching in ``common``.
"""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet, Value
from django.utils import timezone

from treasury.discrepancies import payment_rules, payout_rules
from treasury.discrepancies.common import (
    CHARGE_TYPES,
    REFUND_TYPES,
    DaysAfter,
    names_payout,
    payout_candidate_lines,
    payouts_not_in_bank,
)
from treasury.ledger import book_day_for
from treasury.models import DailyClose, Discrepancy
from treasury.states import DiscrepancyKind, DiscrepancyState
from workflows.machine import fsm_apply
from workflows.models import TransitionLog

__all__ = ["CHARGE_TYPES", "REFUND_TYPES", "DaysAfter", "clear", "detect", "names_payout",
           "payout_candidate_lines", "payouts_not_in_bank"]

RULES = payment_rules.RULES + payout_rules.RULES


def detect(*, today: date) -> dict[str, int]:
    """Record every exception not recorded yet (by key): one INSERT … SELECT per rule, then the
    first history entry of each and, for a late find, its business day — a fixed number of
    queries whatever the volume. Returns how many per kind."""
    found = dict.fromkeys(DiscrepancyKind.values, 0)
    stamp = timezone.now()  # this run's exceptions: found at this moment
    for rule in RULES:
        rows = rule.found(today).filter(~Exists(Discrepancy.objects.filter(key=OuterRef("_key"))))
        found[rule.kind] += _insert_from(rows, Discrepancy, {
            "kind": Value(rule.kind), "key": F("_key"), "state": Value(DiscrepancyState.OPEN),
            "day": F("_natural"), "detected_at": Value(stamp), "resolution": Value(""),
            "note": Value(""), **rule.columns()})
    if any(found.values()):
        new = Discrepancy.objects.filter(detected_at=stamp)
        _move_out_of_closed_days(new, today)
        _insert_from(new, TransitionLog, {  # being found is the first entry of its history
            "content_type_id": Value(ContentType.objects.get_for_model(Discrepancy).pk),
            "object_id": F("pk"), "transition": Value("detect"), "source": Value(""),
            "target": Value(DiscrepancyState.OPEN), "note": Value(""),
            "created_at": Value(stamp)})
    return found


def _insert_from(rows: QuerySet, model, columns: dict) -> int:
    """``INSERT INTO model (columns) SELECT columns FROM rows``: one statement, however many
    rows. ``columns`` maps the model's field names to SQL expressions over ``rows``."""
    prefix = "_column_"
    select = (rows.order_by().annotate(**{prefix + name: value for name, value in columns.items()})
              .values(*(prefix + name for name in columns)))
    compiler = select.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    quote = connection.ops.quote_name
    targets = ", ".join(quote(model._meta.get_field(alias.removeprefix(prefix)).column)
                        for _column, _compiled, alias in compiler.select)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({targets}) {sql}", params)
        return cursor.rowcount


def _move_out_of_closed_days(new: QuerySet, today: date) -> None:
    """A late find whose natural day is closed lands in the first open day
    (``book_day_for``): one query, and one more per closed day (rare)."""
    closed = DailyClose.objects.filter(day__in=new.values("day")).values_list("day", flat=True)
    for day in closed:
        new.filter(day=day).update(day=book_day_for(day, today=today))


def clear() -> int:
    """Clear (system, audited) every open exception whose condition no longer holds. The
    caller holds the matching lock inside a transaction. Returns how many."""
    notes = {}
    for rule in RULES:
        cleared = rule.cleared().order_by().values_list("pk", flat=True)
        notes.update(dict.fromkeys(cleared, rule.cleared_note))
    if not notes:
        return 0
    locked = Discrepancy.objects.select_for_update().filter(pk__in=notes,
                                                            state=DiscrepancyState.OPEN)
    cleared = 0
    for discrepancy in locked.order_by("pk"):
        fsm_apply(instance=discrepancy, transition="clear", actor=None,
                  note=str(notes[discrepancy.pk]))
        cleared += 1
    return cleared

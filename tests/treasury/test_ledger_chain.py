"""The books are tamper-evident like the audit trail: each day's ledger entries are chained by
hash, verification finds a changed or removed entry, and on PostgreSQL the database refuses
UPDATE and DELETE. Transactional: on PostgreSQL the chain is sealed at commit."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tests.payments.support import awaiting_payment
from treasury.models import LedgerEntry
from treasury.states import LedgerKind, LedgerMethod
from workflows.audit_chain import chain_day, genesis
from workflows.audit_verify import chain_verify

pytestmark = pytest.mark.django_db(transaction=True)

TABLE = "treasury_ledgerentry"


def booked(*amounts: int) -> list[LedgerEntry]:
    """Entries on today's books, written as ``treasury.ledger`` writes them (in bulk)."""
    invoice = awaiting_payment()[2]
    today = timezone.localdate()
    LedgerEntry.objects.bulk_create([
        LedgerEntry(book_day=today, occurred_on=today, kind=LedgerKind.COUNTER,
                    method=LedgerMethod.COUNTER, amount=amount, account_code="4.1.02.03.01.0001",
                    permit_type_id=invoice.application.permit_type_id, invoice=invoice,
                    note="Setoran \"teller\"\n✓")
        for amount in amounts])
    return list(LedgerEntry.objects.order_by("pk"))


def today():
    return chain_day(timezone.now())


def test_entries_booked_in_bulk_are_chained_and_verify():
    first, second = booked(1_807_500, -7_500)
    assert (first.chain_seq, first.prev_hash) == (1, genesis(TABLE, today()))
    assert (second.chain_seq, second.prev_hash) == (2, first.hash)
    assert chain_verify(model=LedgerEntry, day=today()) is None
    out = io.StringIO()
    call_command("audit_verify", "--since", today().isoformat(), stdout=out)
    assert f"{today().isoformat()} {TABLE}: intact" in out.getvalue()


@pytest.mark.parametrize("tamper", ["UPDATE {table} SET amount = 1 WHERE id = %s",
                                    "DELETE FROM {table} WHERE id = %s"])
def test_a_changed_or_removed_entry_is_found(tamper):
    _first, second, third = booked(1_000, 2_000, 3_000)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the tamperer switches the refusal off first
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER izin_append_only")
        cursor.execute(tamper.format(table=TABLE), [second.pk])
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER izin_append_only")
    broken = chain_verify(model=LedgerEntry, day=today())
    expected = ((second.pk, "changed") if tamper.startswith("UPDATE")
                else (third.pk, "unlinked"))
    assert (broken.entry_id, broken.reason) == expected
    with pytest.raises(CommandError):
        call_command("audit_verify", stdout=io.StringIO())


@pytest.mark.postgres
def test_the_database_refuses_update_and_delete_of_a_ledger_entry():
    (entry,) = booked(1_807_500)
    with connection.cursor() as cursor:
        for sql in (f"UPDATE {TABLE} SET amount = 1 WHERE id = %s",
                    f"DELETE FROM {TABLE} WHERE id = %s"):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(sql, [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 1_807_500
    assert chain_verify(model=LedgerEntry, day=today()) is None

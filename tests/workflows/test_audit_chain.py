"""The audit trail is tamper-evident: each day's entries are chained by hash, verification finds
the first changed, removed or moved entry, and on PostgreSQL the database refuses UPDATE and
DELETE. Transactional tests: on PostgreSQL the chain is sealed when a transaction commits."""

import io
import logging
import threading
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from licensing import roles
from notifications.models import Notification
from tests.factories import UserFactory
from workflows import tasks
from workflows.audit_chain import chain_day, entry_hash, genesis
from workflows.audit_verify import chain_verify
from workflows.models import ChainHead, TransitionLog

pytestmark = pytest.mark.django_db(transaction=True)

TABLE = "workflows_transitionlog"


def entry(note: str = "") -> TransitionLog:
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(get_user_model()), object_id=1,
        transition="check", source="a", target="b", note=note)


def entries(count: int) -> list[TransitionLog]:
    created = [entry(f"entry {n}") for n in range(count)]
    return list(TransitionLog.objects.filter(pk__in=[e.pk for e in created]).order_by("pk"))


def today():
    return chain_day(timezone.now())


@contextmanager
def tampering(table: str = TABLE):
    """Someone with the database in hand: on PostgreSQL they first switch the refusal off."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER izin_append_only")
        try:
            yield cursor
        finally:
            if postgres:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER izin_append_only")


def test_each_entry_is_chained_to_the_one_before_from_the_days_genesis():
    first, second, third = entries(3)
    assert first.prev_hash == genesis(TABLE, today())
    assert (first.chain_seq, second.chain_seq, third.chain_seq) == (1, 2, 3)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    head = ChainHead.objects.get(chain=TABLE, day=today())
    assert (head.seq, head.hash) == (3, third.hash)


def test_a_clean_chain_verifies_whatever_the_note_holds():
    # What JSON escapes (quotes, backslash, control characters) and what it does not (Unicode):
    # on PostgreSQL the trigger's serialisation must equal Python's to the byte.
    for note in ['"quoted" \\ back', "line\nbreak\ttab\r\x01\x1f", "Izin usaha ✓ — café 日本",
                 "", "/slash/ \u2028 \x7f"]:
        entry(note)
    assert chain_verify(model=TransitionLog, day=today()) is None
    out = io.StringIO()
    call_command("audit_verify", "--date", today().isoformat(), stdout=out)
    assert f"{today().isoformat()} {TABLE}: intact" in out.getvalue()


def test_an_entry_written_by_raw_insert_is_chained_too():
    entry("first")
    content_type = ContentType.objects.get_for_model(get_user_model()).pk
    with connection.cursor() as cursor:  # as treasury.discrepancies.detect writes its history
        cursor.execute(
            f"INSERT INTO {TABLE} (content_type_id, object_id, transition, source, target, note,"
            " created_at, chain_seq, prev_hash, hash) VALUES (%s, 2, 'detect', '', 'open', '',"
            " %s, 0, '', '')", [content_type, timezone.now()])
    entry("after")
    assert chain_verify(model=TransitionLog, day=today()) is None
    assert not TransitionLog.objects.filter(hash="").exists()


def test_a_changed_entry_is_found():
    _first, second, _third = entries(3)
    with tampering() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET note = 'rewritten' WHERE id = %s", [second.pk])
    broken = chain_verify(model=TransitionLog, day=today())
    assert (broken.entry_id, broken.reason, broken.failing) == (second.pk, "changed", 1)
    with pytest.raises(CommandError):
        call_command("audit_verify", "--date", today().isoformat(), stdout=io.StringIO())


def test_a_removed_entry_breaks_the_link_of_the_next():
    _first, second, third = entries(3)
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [second.pk])
    broken = chain_verify(model=TransitionLog, day=today())
    assert (broken.entry_id, broken.reason, broken.failing) == (third.pk, "unlinked", 1)


def test_a_removed_last_entry_is_found_by_the_days_head():
    _first, second, third = entries(3)
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [third.pk])
    broken = chain_verify(model=TransitionLog, day=today())
    assert (broken.entry_id, broken.reason) == (second.pk, "missing_end")


def test_a_reordered_pair_breaks_both():
    _first, second, third = entries(3)
    with tampering() as cursor:  # the third now claims the second's place and the reverse
        cursor.execute(f"UPDATE {TABLE} SET chain_seq = 5 - chain_seq WHERE id IN (%s, %s)",
                       [second.pk, third.pk])
    broken = chain_verify(model=TransitionLog, day=today())
    assert (broken.entry_id, broken.reason, broken.failing) == (third.pk, "changed", 2)


def test_a_hash_recomputed_by_the_tamperer_still_breaks_the_next_link():
    first, second, _third = entries(3)
    values = {name: getattr(first, name) for name in TransitionLog.chain_fields}
    values["note"] = "rewritten"
    forged = entry_hash(values, fields=TransitionLog.chain_fields, prev_hash=first.prev_hash,
                        seq=1)
    with tampering() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET note = 'rewritten', hash = %s WHERE id = %s",
                       [forged, first.pk])
    broken = chain_verify(model=TransitionLog, day=today())
    assert (broken.entry_id, broken.reason) == (second.pk, "unlinked")


def test_the_nightly_check_alerts_the_administrators_once(caplog):
    administrator = UserFactory(groups=[roles.ADMINISTRATOR])
    superuser = UserFactory(is_superuser=True, is_staff=True)
    UserFactory(groups=[roles.TREASURY_OFFICER])  # not told
    assert tasks.audit_verify_nightly() == 0
    assert not Notification.objects.exists()

    first, _second = entries(2)
    with tampering() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET target = 'c' WHERE id = %s", [first.pk])
    with caplog.at_level(logging.ERROR, logger="izin.audit"):
        assert tasks.audit_verify_nightly() == 1
        assert tasks.audit_verify_nightly() == 1  # beat ran it again: nobody is told twice
    told = Notification.objects.filter(kind="audit.broken")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [administrator.pk, superuser.pk])
    notice = told.first()
    assert notice.event_key == f"audit-broken:{today().isoformat()}:{TABLE}:{first.pk}"
    assert notice.url == "/admin/workflows/transitionlog/"
    assert f"#{first.pk}" in notice.body
    assert f"audit_chain_broken chain={TABLE} day={today().isoformat()} entry_id={first.pk}" \
           f" reason=changed" in caplog.text


@pytest.mark.postgres
def test_the_database_refuses_update_and_delete_of_an_audit_entry():
    logged = entry("kept")
    with connection.cursor() as cursor:
        for sql in (f"UPDATE {TABLE} SET note = 'rewritten' WHERE id = %s",
                    f"DELETE FROM {TABLE} WHERE id = %s"):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(sql, [logged.pk])
    assert TransitionLog.objects.get(pk=logged.pk).note == "kept"
    assert chain_verify(model=TransitionLog, day=today()) is None


@pytest.mark.postgres
def test_entries_committed_at_the_same_moment_still_make_one_chain():
    writers, each = 4, 10
    barrier = threading.Barrier(writers)
    errors = []

    def write():
        try:
            barrier.wait(timeout=30)
            for n in range(each):
                with transaction.atomic():
                    entry(f"concurrent {n}")
                    entry(f"concurrent {n} again")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck (deadlock?)"
    assert errors == []
    seqs = sorted(TransitionLog.objects.values_list("chain_seq", flat=True))
    assert seqs == list(range(1, writers * each * 2 + 1))
    assert chain_verify(model=TransitionLog, day=today()) is None

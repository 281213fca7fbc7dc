"""The daily close: a day closes only when its exceptions (and earlier days') are resolved, its
seal can be checked, a closed day refuses every change, and money found later lands in the
first open day as a late item naming its original day."""

import re
import threading
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import formats, timezone, translation

from licensing import roles
from tests.factories import UserFactory
from tests.payments.support import TOTAL
from tests.portal import in_english, post
from tests.treasury.books import bill, officer, paid_at_counter, supervisor
from treasury.closing import DayNotClosable, day_close
from treasury.exceptions import exception_approve, exception_propose, exception_resolve
from treasury.models import DailyClose, Discrepancy, LedgerEntry, LedgerImmutable
from treasury.selectors.closing import day_list, day_seal_check, day_totals
from treasury.states import DiscrepancyKind, LedgerKind, LedgerMethod, Resolution
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def exception(day, kind=DiscrepancyKind.UNSETTLED_PAYMENT, key=None):
    """What reconciliation would have found on ``day``."""
    return Discrepancy.objects.create(kind=kind, key=key or f"{kind}:{day}", day=day,
                                      amount=TOTAL)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def refusal(day, actor) -> list[str]:
    with pytest.raises(DayNotClosable) as refused:
        day_close(day=day, actor=actor)
    return refused.value.reasons


def test_closing_a_day_seals_its_count_and_total_and_is_audited():
    clerk, day = officer(), days_ago(1)
    paid_at_counter(bill(), on=day, by=clerk)
    paid_at_counter(bill(), on=day, by=clerk)
    paid_at_counter(bill(), on=days_ago(2), by=clerk)  # another day: not in this seal

    close = day_close(day=day, actor=clerk)

    assert (close.day, close.entry_count, close.total, close.closed_by) == (day, 2, 2 * TOTAL,
                                                                             clerk)
    audit = TransitionLog.objects.get(content_type=ContentType.objects.get_for_model(DailyClose),
                                      object_id=close.pk)
    assert (audit.transition, audit.source, audit.target, audit.actor) == ("close", "open",
                                                                           "closed", clerk)
    check = day_seal_check(day=day)
    assert check.intact and (check.entries, check.total) == (2, 2 * TOTAL)


def test_a_day_without_money_closes_with_an_empty_seal():
    close = day_close(day=days_ago(3), actor=officer())
    assert (close.entry_count, close.total) == (0, 0)


def test_a_future_day_and_a_closed_day_do_not_close():
    clerk = officer()
    with translation.override("en"):
        assert "is still to come" in refusal(days_ago(-1), clerk)[0]
        day_close(day=days_ago(1), actor=clerk)
        assert "is already closed" in refusal(days_ago(1), officer())[0]
    day_close(day=timezone.localdate(), actor=clerk)  # the day itself may close (a cut-off)
    assert DailyClose.objects.count() == 2


def test_only_treasury_staff_close_a_day():
    for user in (UserFactory(groups=[roles.FRONT_OFFICE]),
                 UserFactory(is_superuser=True, is_staff=True)):
        with pytest.raises(PermissionDenied):
            day_close(day=days_ago(1), actor=user)
    assert not DailyClose.objects.exists()


def test_unresolved_exceptions_keep_their_day_and_every_later_day_open():
    clerk, checker = officer(), supervisor()
    exception(days_ago(3))
    exception(days_ago(3), DiscrepancyKind.UNMATCHED_BANK_LINE)
    awaiting = exception(days_ago(2), DiscrepancyKind.PAYOUT_NOT_IN_BANK)
    exception_propose(discrepancy=awaiting, actor=clerk, resolution=Resolution.WRITE_OFF,
                      note="Bank charge, written off")

    with translation.override("en"):
        assert refusal(days_ago(3), clerk) == [
            "2 exceptions of this day or earlier ones are not resolved: "
            "Payment the gateway has not settled (1), Bank line with no payout (1)."]
        later = refusal(days_ago(1), clerk)  # earlier days' exceptions hold it too
        assert later[0].startswith("3 exceptions")
        assert "Payout that never reached the bank (1)" in later[0]  # awaiting approval
    day_close(day=days_ago(4), actor=clerk)  # before the first exception: free to close

    for found in Discrepancy.objects.filter(day=days_ago(3)):
        exception_resolve(discrepancy=found, actor=clerk, note="Explained by the bank")
    day_close(day=days_ago(3), actor=clerk)
    with translation.override("en"):
        assert refusal(days_ago(2), clerk)[0].startswith("1 exception of this day")
    exception_approve(discrepancy=Discrepancy.objects.get(pk=awaiting.pk), actor=checker)
    day_close(day=days_ago(2), actor=clerk)
    assert DailyClose.objects.count() == 3


def test_a_closed_day_refuses_every_change_to_its_books():
    clerk, day = officer(), days_ago(1)
    invoice = bill()
    entry = paid_at_counter(invoice, on=day, by=clerk)[0]
    day_close(day=day, actor=clerk)
    close = DailyClose.objects.get(day=day)
    entry = LedgerEntry.objects.get(pk=entry.pk)

    smuggled = LedgerEntry(book_day=day, occurred_on=day, kind=LedgerKind.COUNTER,
                           method=LedgerMethod.COUNTER, amount=1, account_code="4.1",
                           permit_type_id=entry.permit_type_id, invoice=invoice)
    with pytest.raises(LedgerImmutable):
        smuggled.save()
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.bulk_create([smuggled])
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.create(book_day=day, occurred_on=day, kind=LedgerKind.COUNTER,
                                   method=LedgerMethod.COUNTER, amount=1, account_code="4.1",
                                   permit_type_id=entry.permit_type_id, invoice=invoice)
    entry.amount = 1
    with pytest.raises(LedgerImmutable):
        entry.save()
    with pytest.raises(LedgerImmutable):
        entry.delete()
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.filter(book_day=day).update(amount=1)
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.filter(book_day=day).delete()
    close.total = 0
    with pytest.raises(LedgerImmutable):
        close.save()
    with pytest.raises(LedgerImmutable):
        close.delete()
    with pytest.raises(DayNotClosable):
        day_close(day=day, actor=officer())

    assert list(LedgerEntry.objects.filter(book_day=day).values_list("amount", flat=True)) == [
        TOTAL]
    assert day_seal_check(day=day).intact


def test_money_found_after_the_close_lands_in_the_first_open_day_as_a_late_item(client):
    clerk, original = officer(), days_ago(2)
    paid_at_counter(bill(), on=original, by=clerk)
    day_close(day=original, actor=clerk)
    day_close(day=days_ago(1), actor=clerk)
    late_bill = bill()

    entries = paid_at_counter(late_bill, on=original, by=clerk, reference="TLR-LATE-1")

    today = timezone.localdate()
    assert [(entry.book_day, entry.occurred_on, entry.is_late) for entry in entries] == [
        (today, original, True)]
    assert day_seal_check(day=original).intact  # the closed day did not move
    totals = day_totals(day=today)
    assert [(item.occurred_on, item.invoice_number, item.amount) for item in totals.late] == [
        (original, late_bill.number, TOTAL)]
    assert totals.total == TOTAL
    assert day_totals(day=original).late == []

    client.force_login(clerk)
    in_english(client)
    page = text(client.get(reverse("treasury:day_detail", args=[today])))
    with translation.override("en"):
        shown = formats.date_format(original, "j F Y")
    assert f"late item from {shown}" in page
    assert late_bill.number in page


# Committed (on PostgreSQL the ledger's rows are sealed at commit, and the table cannot be
# altered while a transaction holds unsealed rows).
@pytest.mark.django_db(transaction=True)
def test_a_closed_day_whose_rows_changed_behind_the_application_shows_a_broken_seal(client):
    clerk, day = officer(), days_ago(1)
    entry = paid_at_counter(bill(), on=day, by=clerk)[0]
    day_close(day=day, actor=clerk)
    # Someone with the database owner's rights switches the append-only trigger off (on
    # PostgreSQL; SQLite has none) and edits the table by hand.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE treasury_ledgerentry DISABLE TRIGGER izin_append_only")
        cursor.execute("UPDATE treasury_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE treasury_ledgerentry ENABLE TRIGGER izin_append_only")

    check = day_seal_check(day=day)
    assert not check.intact and (check.entries, check.total) == (1, 1)
    assert day_seal_check(day=days_ago(2)) is None  # not closed: nothing to check
    client.force_login(clerk)
    in_english(client)
    assert "differ from the seal" in text(client.get(reverse("treasury:day_detail",
                                                             args=[day])))
    assert "Totals differ from the seal" in text(client.get(reverse("treasury:day_list")))


def test_the_day_list_counts_per_day_and_knows_which_days_may_close():
    clerk = officer()
    paid_at_counter(bill(), on=days_ago(5), by=clerk)
    paid_at_counter(bill(), on=days_ago(5), by=clerk)
    paid_at_counter(bill(), on=days_ago(3), by=clerk)
    exception(days_ago(3))
    exception(days_ago(40), key="old")  # before the listed days, still holds them all
    day_close(day=days_ago(41), actor=clerk)

    rows = {row.day: row for row in day_list(end=timezone.localdate(),
                                             today=timezone.localdate())}
    assert len(rows) == 31 and max(rows) == timezone.localdate()
    assert (rows[days_ago(5)].entries, rows[days_ago(5)].total) == (2, 2 * TOTAL)
    assert (rows[days_ago(3)].exceptions, rows[days_ago(3)].blocking) == (1, 2)
    assert (rows[days_ago(5)].exceptions, rows[days_ago(5)].blocking) == (0, 1)
    assert not any(row.closable for row in rows.values())


def test_day_list_is_three_queries_however_many_days_and_entries(django_assert_num_queries):
    clerk = officer()
    for offset in range(4):
        paid_at_counter(bill(), on=days_ago(offset), by=clerk)
    with django_assert_num_queries(3):
        day_list(end=timezone.localdate(), today=timezone.localdate())
    with django_assert_num_queries(4):
        day_totals(day=days_ago(1))


def test_an_officer_closes_a_day_from_the_list_once(client):
    clerk, day = officer(), days_ago(1)
    paid_at_counter(bill(), on=day, by=clerk)
    client.force_login(clerk)
    in_english(client)
    listing = client.get(reverse("treasury:day_list"))
    assert listing.status_code == 200
    assert reverse("treasury:day_close", args=[day]) in listing.content.decode()

    token = "close-token-1"
    response = post(client, reverse("treasury:day_close", args=[day]), token=token)
    assert response.status_code == 302
    assert response["Location"] == reverse("treasury:day_detail", args=[day])
    again = post(client, reverse("treasury:day_close", args=[day]), token=token)
    assert again.status_code == 302  # a double click: sent where the first one went
    assert DailyClose.objects.get(day=day).entry_count == 1
    assert TransitionLog.objects.filter(transition="close").count() == 1
    page = text(client.get(response["Location"]))
    assert "is closed; nothing can be booked into it any more" in page
    assert "still match the seal" in page


def test_a_refused_close_shows_every_reason_and_closes_nothing(client):
    clerk, day = officer(), days_ago(1)
    exception(day, DiscrepancyKind.AMOUNT_MISMATCH)
    client.force_login(clerk)
    in_english(client)

    response = post(client, reverse("treasury:day_close", args=[day]))

    assert response.status_code == 409
    assert ("1 exception of this day or an earlier one is not resolved: "
            "Paid amount differs from the bill (1).") in text(response)
    assert not DailyClose.objects.exists()
    assert client.get(reverse("treasury:day_close", args=[day])).status_code == 302


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-13-01", "yesterday", "20261127"])
def test_an_impossible_day_is_not_found(client, bad):
    client.force_login(officer())
    assert client.get(f"/treasury/days/{bad}/").status_code == 404
    assert client.get(f"/treasury/days/{bad}/sts/").status_code == 404


def test_a_bad_date_in_the_day_list_is_a_clear_bad_request(client):
    client.force_login(officer())
    in_english(client)
    response = client.get(reverse("treasury:day_list"), {"until": "30/02/2026"})
    assert response.status_code == 400
    assert "That is not a date" in text(response)


def at_once(work: list) -> list:
    """Run each callable in its own thread, released together; results or exceptions."""
    barrier = threading.Barrier(len(work))
    results = []

    def run(job):
        try:
            barrier.wait()
            results.append(job())
        except Exception as error:  # collected and asserted on
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_closes_of_one_day_at_once_make_one_close():
    clerks = [officer() for _ in range(10)]
    day = days_ago(1)
    connection.close()

    results = at_once([lambda clerk=clerk: day_close(day=day, actor=clerk) for clerk in clerks])

    assert sum(isinstance(result, DailyClose) for result in results) == 1
    assert sum(isinstance(result, DayNotClosable) for result in results) == 9
    assert TransitionLog.objects.filter(transition="close").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_money_recorded_while_the_day_closes_is_in_the_seal_or_in_a_later_day():
    clerk, day = officer(), days_ago(1)
    bills = [bill() for _ in range(8)]
    connection.close()

    results = at_once([lambda: day_close(day=day, actor=clerk)]
                      + [lambda invoice=invoice: paid_at_counter(invoice, on=day, by=clerk)
                         for invoice in bills])

    assert not [result for result in results if isinstance(result, Exception)]
    check = day_seal_check(day=day)
    assert check.intact  # nothing slipped into the day after it was counted
    entries = LedgerEntry.objects.filter(occurred_on=day)
    assert entries.count() == 8
    assert entries.filter(book_day=day).count() == check.entries
    assert entries.exclude(book_day=day).filter(book_day=timezone.localdate()).count() == (
        8 - check.entries)

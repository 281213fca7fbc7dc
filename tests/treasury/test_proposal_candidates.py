"""A write-off or a manual match shows the bank credits of the amount at stake that nothing has
taken yet, the nearest in date first: on the officer's proposal (a manual match of a payout
picks its line among them) and on the supervisor's approval (a line the officer missed, or the
one proposed)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.portal import in_english, post
from tests.treasury import builders as b
from treasury.exceptions import exception_propose
from treasury.matching import reconcile
from treasury.models import BankLine, Discrepancy
from treasury.selectors.exceptions import SAME_AMOUNT_LIMIT, same_amount_lines
from treasury.states import DiscrepancyKind as K
from treasury.states import DiscrepancyState as S
from treasury.states import Resolution

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
AMOUNT = 500_000


def page_of(client, discrepancy: Discrepancy) -> str:
    return client.get(reverse("treasury:exception_detail", args=[discrepancy.pk])).content.decode()


def shown(page: str) -> list[int]:
    """The candidate lines on the page, in their order."""
    return [int(pk) for pk in re.findall(r'class="candidate-line[^"]*" data-line="(\d+)"', page)]


def match_options(page: str) -> list[int]:
    select = re.search(r'<select name="match".*?</select>', page, re.S).group(0)
    return [int(pk) for pk in re.findall(r'<option value="(\d+)"', select)]


@pytest.fixture
def lost():
    """A payout the bank never showed, and what the statements hold: two credits of its amount
    nothing took (one booked the day after it, one three weeks later), one a rupiah short, one
    of its amount another payout took, and one a counter payment holds."""
    arrival = TODAY - timedelta(days=21)
    payout = b.payout(amount=AMOUNT, arrival_date=arrival, pulled=False)
    lines = {
        "near": b.bank_line(amount=AMOUNT, booked_on=arrival + timedelta(days=4),
                            description="TRF GATEWAY"),
        "far": b.bank_line(amount=AMOUNT, booked_on=TODAY, description="SETORAN"),
        "short": b.bank_line(amount=AMOUNT - 1, booked_on=arrival + timedelta(days=1)),
    }
    other = b.payout(amount=AMOUNT, arrival_date=TODAY - timedelta(days=40), pulled=False)
    lines["taken"] = b.payout_line(other)
    reconcile(today=TODAY)
    assert BankLine.objects.get(pk=lines["taken"].pk).payout == other
    return Discrepancy.objects.get(kind=K.PAYOUT_NOT_IN_BANK, payout=payout), lines


def test_the_proposal_shows_the_free_credits_of_the_amount_nearest_in_date_first(client, lost):
    discrepancy, lines = lost
    in_english(client).force_login(b.officer())

    page = page_of(client, discrepancy)

    assert f'data-amount="{AMOUNT}"' in page
    assert shown(page) == [lines["near"].pk, lines["far"].pk]
    # The manual match picks among them first, then the nearest in amount.
    assert match_options(page)[:3] == [lines["near"].pk, lines["far"].pk, lines["short"].pk]
    assert lines["taken"].pk not in match_options(page)


def test_the_supervisor_sees_the_line_a_manual_match_proposes(client, lost):
    discrepancy, lines = lost
    in_english(client).force_login(b.officer())
    response = post(client, reverse("treasury:exception_propose", args=[discrepancy.pk]),
                    {"resolution": "manual_match", "match": str(lines["far"].pk),
                     "note": "The bank booked it three weeks late"})
    assert response.status_code == 302

    client.force_login(b.supervisor())
    page = page_of(client, discrepancy)

    assert 'class="approve"' in page
    assert shown(page) == [lines["near"].pk, lines["far"].pk]
    assert re.findall(r'class="candidate-line proposed" data-line="(\d+)"', page) == [
        str(lines["far"].pk)]


def test_the_supervisor_sees_a_line_the_officer_missed_before_approving_a_write_off(
        client, lost):
    discrepancy, lines = lost
    exception_propose(discrepancy=discrepancy, actor=b.officer(), resolution=Resolution.WRITE_OFF,
                      note="The gateway says it failed")
    in_english(client).force_login(b.supervisor())

    page = page_of(client, discrepancy)

    assert Discrepancy.objects.get(pk=discrepancy.pk).state == S.AWAITING_APPROVAL
    assert shown(page) == [lines["near"].pk, lines["far"].pk]
    assert 'class="candidate-line proposed"' not in page


def test_a_bank_lines_own_write_off_shows_the_other_credits_of_its_amount(client):
    line = b.bank_line(amount=480_000, booked_on=TODAY, description="SETORAN TUNAI")
    twin = b.bank_line(amount=480_000, booked_on=TODAY - timedelta(days=2))
    b.bank_line(amount=-480_000, booked_on=TODAY)  # a debit takes no payout
    reconcile(today=TODAY)
    discrepancy = Discrepancy.objects.get(bank_line=line)
    in_english(client).force_login(b.officer())

    page = page_of(client, discrepancy)

    assert shown(page) == [twin.pk]


def test_none_free_is_said(client):
    b.bank_line(amount=-6_500, booked_on=TODAY, description="BIAYA ADM")
    reconcile(today=TODAY)
    in_english(client).force_login(b.officer())

    page = page_of(client, Discrepancy.objects.get(kind=K.UNMATCHED_BANK_LINE))

    assert 'class="muted candidate-lines-none"' in page and shown(page) == []


def test_the_lines_shown_are_bounded_and_counted_in_a_fixed_number_of_queries(
        django_assert_num_queries):
    payout = b.payout(amount=AMOUNT, arrival_date=TODAY - timedelta(days=30), pulled=False)
    b.bank_line(amount=-1, booked_on=TODAY)  # the statements go past its arrival
    reconcile(today=TODAY)
    discrepancy = Discrepancy.objects.select_related("payout", "bank_line").get(payout=payout)
    statement = b.statement()
    days = [-9, 9, -1, 3, 0, 12, -14, 5, 7, -6, 20, 2]
    for offset in days:
        b.bank_line(amount=AMOUNT, booked_on=payout.arrival_date + timedelta(days=offset),
                    statement_row=statement)

    with django_assert_num_queries(3):
        lines = same_amount_lines(discrepancy=discrepancy)

    assert lines.total == len(days) > SAME_AMOUNT_LIMIT
    distances = [abs((line.booked_on - payout.arrival_date).days) for line in lines.rows]
    assert distances == sorted(abs(offset) for offset in days)[:SAME_AMOUNT_LIMIT]


def test_the_free_lines_by_amount_are_indexed():
    [index] = [index for index in BankLine._meta.indexes
               if index.name == "bankline_free_amount_day"]
    assert index.fields == ["amount", "booked_on"]

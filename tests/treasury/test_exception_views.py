"""The exception pages: the queue of each kind with counts and evidence, one exception, and the
officers' forms — only a supervisor who did not propose it sees the Approve button; the
proposer and any other officer are told why not, and cannot approve by POST either."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from licensing import roles
from licensing.once import new_token
from tests.factories import BusinessFactory, UserFactory
from tests.portal import in_english, post
from tests.treasury import builders as b
from treasury.exceptions import exception_propose
from treasury.matching import reconcile
from treasury.models import BankLine, Discrepancy
from treasury.states import DiscrepancyKind as K
from treasury.states import DiscrepancyState as S
from treasury.states import Resolution

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def detail(discrepancy: Discrepancy) -> str:
    return reverse("treasury:exception_detail", args=[discrepancy.pk])


def action(name: str, discrepancy: Discrepancy) -> str:
    return reverse(f"treasury:exception_{name}", args=[discrepancy.pk])


@pytest.fixture
def clerk(client):
    user = b.officer()
    in_english(client).force_login(user)
    return user


@pytest.fixture
def lines():
    """A bank charge, and a transfer the bank booked too late to match: one exception each, and
    the payout it belongs to not in the bank."""
    charge = b.bank_line(amount=-6_500, booked_on=TODAY, description="BIAYA ADM")
    payout = b.payout(amount=500_000, arrival_date=TODAY - timedelta(days=6),
                      payout_id="po_late", pulled=False)  # its transactions: not the point here
    late = b.bank_line(amount=500_000, booked_on=TODAY, description="TRF GATEWAY")
    reconcile(today=TODAY)
    return (Discrepancy.objects.get(bank_line=charge), Discrepancy.objects.get(bank_line=late),
            payout)


def test_only_the_treasury_reaches_the_exception_pages(client, lines):
    charge, _late, _payout = lines
    urls = [reverse("treasury:exception_list"), detail(charge)]
    for url in urls:
        assert client.get(url).status_code == 302  # to log in
    owner = UserFactory()
    BusinessFactory(owner=owner)
    for outsider in (owner, UserFactory(groups=[roles.FRONT_OFFICE]),
                     UserFactory(is_superuser=True, is_staff=True)):
        client.force_login(outsider)
        for url in urls:
            assert client.get(url).status_code == 403
        assert post(client, action("resolve", charge),
                    {"resolution": "explained", "note": "x"}).status_code == 403
    assert Discrepancy.objects.get(pk=charge.pk).state == S.OPEN
    for group in (roles.TREASURY_OFFICER, roles.TREASURY_SUPERVISOR):
        client.force_login(UserFactory(groups=[group]))
        for url in urls:
            assert client.get(url).status_code == 200


def test_the_queue_counts_each_kind_and_shows_one_kind_with_its_evidence(client, clerk, lines):
    b.transaction_row(amount=80_000, source="ch_from_elsewhere")
    reconcile(today=TODAY)
    page = client.get(reverse("treasury:exception_list"))
    counts = dict(re.findall(r'data-kind="(\w+)"[^>]*>[^<]*<span class="badge kind-count">(\d+)',
                             page.content.decode()))
    assert counts == {kind: "0" for kind in K.values} | {"bank_line": "2", "unknown_txn": "1",
                                                        "payout_bank": "1"}

    page = text(client.get(reverse("treasury:exception_list"), {"kind": "bank_line"}))
    assert page.count('class="exception"') == 2
    assert "BIAYA ADM" in page and "Rp -6.500" in page and "Rp 6.500" in page
    assert "ch_from_elsewhere" not in page


def test_the_detail_page_shows_the_evidence_and_the_history(client, clerk, lines):
    _charge, late, _payout = lines
    page = text(client.get(detail(late)))
    assert "Bank line with no payout" in page
    assert "TRF GATEWAY" in page and "Rp 500.000" in page
    assert re.search(r"Booked on</th><td>\d+ \w+ \d{4}", page)
    assert "form_token" in page and "csrfmiddlewaretoken" in page
    assert "po_late" in page  # offered for a manual match


def test_an_officer_resolves_with_a_note(client, clerk, lines):
    charge, _late, _payout = lines
    response = post(client, action("resolve", charge),
                    {"resolution": "explained", "note": "Monthly fee of the bank"})
    assert response.status_code == 302
    assert Discrepancy.objects.get(pk=charge.pk).state == S.RESOLVED
    page = text(client.get(detail(charge)))
    assert "Monthly fee of the bank" in page and clerk.full_name in page


def test_a_form_error_shows_the_form_again_with_what_was_typed(client, clerk, lines):
    charge, _late, _payout = lines
    response = post(client, action("resolve", charge), {"note": "Half a thought"})
    assert response.status_code == 400
    assert "Half a thought" in text(response)
    response = post(client, action("resolve", charge),
                    {"resolution": "explained", "note": "   "})
    assert response.status_code == 400
    assert Discrepancy.objects.get(pk=charge.pk).state == S.OPEN


def test_a_refused_proposal_says_why_and_keeps_the_note(client, clerk, lines):
    charge, _late, _payout = lines  # a debit: nothing to match it to
    response = post(client, action("propose", charge),
                    {"resolution": "manual_match", "note": "It is the payout, I think"})
    assert response.status_code == 400
    page = text(response)
    assert "It is the payout, I think" in page
    assert "cannot take a payout" in page


def test_the_proposer_has_no_approve_button_and_cannot_approve_by_post(client, clerk, lines):
    _charge, late, payout = lines
    response = post(client, action("propose", late),
                    {"resolution": "manual_match", "match": str(payout.pk),
                     "note": "Booked late by the bank"})
    assert response.status_code == 302
    assert Discrepancy.objects.get(pk=late.pk).state == S.AWAITING_APPROVAL

    page = text(client.get(detail(late)))
    assert action("approve", late) not in page and action("reject", late) not in page
    assert "Only a treasury supervisor may approve a write-off or a manual match." in page
    assert post(client, action("approve", late)).status_code == 403
    assert Discrepancy.objects.get(pk=late.pk).state == S.AWAITING_APPROVAL
    assert BankLine.objects.get(pk=late.bank_line_id).payout is None

    checker = b.supervisor()
    client.force_login(checker)
    page = text(client.get(detail(late)))
    assert action("approve", late) in page and "Booked late by the bank" in page
    assert post(client, action("approve", late)).status_code == 302
    assert Discrepancy.objects.get(pk=late.pk).state == S.RESOLVED
    assert BankLine.objects.get(pk=late.bank_line_id).payout == payout


def test_another_officer_who_is_no_supervisor_sees_no_approve_button_and_is_refused(
        client, clerk, lines):
    _charge, late, payout = lines
    exception_propose(discrepancy=late, actor=b.officer(), resolution=Resolution.MANUAL_MATCH,
                      match_payout=payout, note="Booked late by the bank")

    page = text(client.get(detail(late)))
    assert action("approve", late) not in page
    assert action("reject", late) in page  # any other officer may send it back
    assert "Only a treasury supervisor may approve a write-off or a manual match." in page
    response = post(client, action("approve", late))
    assert response.status_code == 403
    assert "Only a treasury supervisor may approve a write-off or a manual match." in text(
        response)
    assert Discrepancy.objects.get(pk=late.pk).state == S.AWAITING_APPROVAL
    assert BankLine.objects.get(pk=late.bank_line_id).payout is None


def test_a_supervisor_sees_no_approve_button_on_their_own_proposal(client, lines):
    _charge, late, payout = lines
    boss = b.supervisor()
    in_english(client).force_login(boss)
    exception_propose(discrepancy=late, actor=boss, resolution=Resolution.MANUAL_MATCH,
                      match_payout=payout, note="Booked late by the bank")

    page = text(client.get(detail(late)))
    assert action("approve", late) not in page
    assert "You proposed this: another treasury supervisor must approve it." in page
    assert post(client, action("approve", late)).status_code == 403
    assert Discrepancy.objects.get(pk=late.pk).state == S.AWAITING_APPROVAL


def test_a_second_officer_rejects_with_a_reason(client, clerk, lines):
    charge, _late, _payout = lines
    exception_propose(discrepancy=charge, actor=b.officer(), resolution=Resolution.WRITE_OFF,
                      note="Bank charge")
    assert post(client, action("reject", charge), {"note": ""}).status_code == 400
    response = post(client, action("reject", charge), {"note": "Ask the bank for its letter"})
    assert response.status_code == 302
    assert Discrepancy.objects.get(pk=charge.pk).state == S.OPEN
    assert "Ask the bank for its letter" in text(client.get(detail(charge)))


def test_the_same_form_sent_twice_is_processed_once(client, clerk, lines):
    charge, _late, _payout = lines
    token = new_token()
    data = {"resolution": "explained", "note": "Monthly fee"}
    assert post(client, action("resolve", charge), data, token=token).status_code == 302
    again = post(client, action("resolve", charge), data, token=token, follow=True)
    assert "already sent" in text(again)
    assert Discrepancy.objects.get(pk=charge.pk).state == S.RESOLVED

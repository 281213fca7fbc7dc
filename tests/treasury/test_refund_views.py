"""The refund pages: the treasury's queues, one refund and the officers' steps on it (only a
supervisor who did not prepare it is offered, or allowed, the approval), proposing a refund of
a payment, and the business's bill showing its own refunds in plain words. Payments and refunds
go through the sandbox gateway on a live server."""

import re

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from licensing import roles
from payments import tasks
from payments.models import Refund
from payments.states import RefundState as R
from tests.factories import UserFactory
from tests.payments.flow import sandbox_post, use_sandbox
from tests.payments.support import TOTAL
from tests.portal import in_english, post
from tests.treasury.refunding import fresh, officer, paid, refund_of, supervisor
from treasury import refunds

pytestmark = pytest.mark.django_db(transaction=True)

LIST = reverse("treasury:refund_list")


@pytest.fixture
def gateway(settings, live_server):
    use_sandbox(settings, live_server)
    return live_server


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def as_user(client, user):
    client.force_login(user)
    return in_english(client)


def detail(refund) -> str:
    return reverse("treasury:refund_detail", args=[refund.pk])


def step(refund, name: str) -> str:
    return reverse(f"treasury:refund_{name}", args=[refund.pk])


def test_only_treasury_staff_reach_the_refund_pages(client, gateway):
    _application, owner, _invoice, payment = paid("card")
    refund = refunds.refund_draft(payment=payment, amount=10_000, reason="other")
    pages = [LIST, detail(refund), reverse("treasury:refund_new", args=[payment.pk])]
    actions = [step(refund, "prepare"), step(refund, "approve"), step(refund, "reject")]

    for url in pages:
        assert client.get(url).status_code == 302  # to the login page
    outsiders = [owner, UserFactory(groups=["agency_a"]), UserFactory(groups=[roles.FRONT_OFFICE]),
                 UserFactory(is_staff=True, is_superuser=True)]
    for user in outsiders:
        as_user(client, user)
        for url in pages:
            assert client.get(url).status_code == 403, (user, url)
        for url in actions:
            assert post(client, url, {"amount": "10000", "note": "x"}).status_code == 403
    assert fresh(refund).state == R.DRAFT
    for user in (officer(), UserFactory(groups=[roles.TREASURY_SUPERVISOR])):
        as_user(client, user)
        for url in pages:
            assert client.get(url).status_code == 200, (user, url)


def test_one_officer_prepares_a_suggestion_and_only_a_supervisor_approves_it(client, gateway):
    _application, _owner, invoice, payment = paid("card", charged=1_000_000)  # underpaid
    suggestion = Refund.objects.get(payment=payment)
    maker, checker = officer(), supervisor()
    as_user(client, maker)

    listed = text(client.get(LIST))
    assert "Suggestions to prepare 1" in listed
    assert invoice.number in listed
    page = client.get(detail(suggestion))
    assert 'name="amount" value="1000000"' in page.content.decode()

    for typed, error in [("0", "Enter an amount greater than zero."),
                         ("-5", "Enter an amount greater than zero."),
                         ("1.5", "Enter a whole number of rupiah"),
                         ("1000001", "At most Rp 1.000.000 of this payment can still be "
                                     "refunded.")]:
        response = post(client, step(suggestion, "prepare"), {"amount": typed, "note": "cek"})
        assert response.status_code == 400, typed
        assert error in text(response)
        assert f'value="{typed}"' in response.content.decode()  # what was typed is kept
    assert fresh(suggestion).state == R.DRAFT

    response = post(client, step(suggestion, "prepare"),
                    {"amount": "1000000", "note": "Kurang bayar, kembalikan"})
    assert response.status_code == 302
    assert fresh(suggestion).state == R.PROPOSED

    # The preparer, an officer, is offered no approval, and is refused when trying anyway.
    page = text(client.get(detail(suggestion)))
    assert "Approve the refund" not in page
    assert "Only a treasury supervisor may approve a refund." in page
    refused = post(client, step(suggestion, "approve"))
    assert refused.status_code == 403
    assert "Only a treasury supervisor may approve a refund." in text(refused)
    assert fresh(suggestion).state == R.PROPOSED

    # So is a second officer who is no supervisor.
    as_user(client, officer())
    page = text(client.get(detail(suggestion)))
    assert "Approve the refund" not in page
    assert "Only a treasury supervisor may approve a refund." in page
    refused = post(client, step(suggestion, "approve"))
    assert refused.status_code == 403
    assert "Only a treasury supervisor may approve a refund." in text(refused)
    assert fresh(suggestion).state == R.PROPOSED

    as_user(client, checker)
    assert "Approve the refund" in text(client.get(detail(suggestion)))
    assert post(client, step(suggestion, "approve")).status_code == 302

    refund = fresh(suggestion)
    assert (refund.state, refund.prepared_by, refund.approved_by) == (R.SUCCEEDED, maker,
                                                                       checker)
    page = text(client.get(detail(refund)))
    assert "Refunded" in page and refund.gateway_refund_id in page
    assert "Left to refund Rp 0" in page


def test_an_officer_proposes_a_full_or_partial_refund_of_a_payment(client, gateway):
    _application, _owner, _invoice, payment = paid("card")
    url = reverse("treasury:refund_new", args=[payment.pk])
    as_user(client, officer())

    page = client.get(url)
    assert f'name="amount" value="{TOTAL}"' in page.content.decode()  # all that is left

    for typed, error in [("0", "Enter an amount greater than zero."),
                         ("-5", "Enter an amount greater than zero."),
                         ("1.5", "Enter a whole number of rupiah"),
                         ("seratus", "Enter a whole number of rupiah"),
                         (str(TOTAL + 1), "At most Rp 1.807.500 of this payment can still be "
                                          "refunded.")]:
        response = post(client, url, {"reason": "other", "amount": typed, "note": "Koreksi"})
        assert response.status_code == 400, typed
        assert error in text(response)
        assert f'value="{typed}"' in response.content.decode()
    missing_note = post(client, url, {"reason": "other", "amount": "100"})
    assert missing_note.status_code == 400
    assert Refund.objects.count() == 0

    response = post(client, url, {"reason": "other", "amount": "800000",
                                  "note": "Tarif salah hitung"})
    refund = Refund.objects.get()
    assert response["Location"] == detail(refund)
    assert (refund.state, refund.amount, refund.reason) == (R.PROPOSED, 800_000, "other")
    assert "Left to refund Rp 1.007.500" in text(client.get(detail(refund)))
    assert 'name="amount" value="1007500"' in client.get(url).content.decode()


def test_a_refund_is_rejected_with_a_note(client, gateway):
    _application, _owner, _invoice, payment = paid("card")
    draft = refunds.refund_draft(payment=payment, amount=10_000, reason="other")
    as_user(client, officer())

    assert post(client, step(draft, "reject"), {"note": ""}).status_code == 400
    assert fresh(draft).state == R.DRAFT
    assert post(client, step(draft, "reject"), {"note": "Bukan kelebihan bayar"}
                ).status_code == 302

    assert fresh(draft).state == R.REJECTED
    page = client.get(detail(draft))
    assert "Bukan kelebihan bayar" in text(page)
    assert "prepare-form" not in page.content.decode()
    assert "reject-form" not in page.content.decode()


def test_the_business_follows_its_refund_on_its_bill_and_nobody_else_sees_it(client, gateway):
    _application, owner, invoice, payment = paid("va")
    refund = refund_of(payment, 500_000, maker=officer(), checker=supervisor())
    bill = reverse("invoice_detail", args=[invoice.pk])
    as_user(client, owner)

    page = text(client.get(bill))
    assert "Refunds" in page
    assert "Rp 500.000" in page and "Being paid back by the bank" in page

    sandbox_post(f"test_helpers/refunds/{refund.gateway_refund_id}/settle")
    tasks.refunds_refresh_pending.delay()
    with translation.override("en"):
        day = dateformat.format(timezone.localtime(fresh(refund).succeeded_at), "j F Y")
    assert f"Refunded on {day}" in text(client.get(bill))

    _other_application, stranger, other_invoice, _other_payment = paid("card")
    as_user(client, stranger)
    assert client.get(bill).status_code == 404
    own = text(client.get(reverse("invoice_detail", args=[other_invoice.pk])))
    assert "Refunds" not in own and "Rp 500.000" not in own


def test_the_business_sees_the_skrdlb_of_its_overpayment(client, gateway):
    _application, owner, invoice, payment = paid("card", charged=TOTAL + 92_500)
    skrdlb = Refund.objects.get(payment=payment)
    as_user(client, owner)

    page = text(client.get(reverse("invoice_detail", args=[invoice.pk])))

    assert skrdlb.skrdlb_number in page
    assert "Overpaid levy (SKRDLB)" in page
    assert "Rp 92.500" in page and "Being prepared by the city treasury" in page

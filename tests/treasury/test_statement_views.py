"""The treasury's pages for money coming in: statement upload (refused files list their
problems), statement lines with their matches, counter payments against a line (proposed by
one officer, confirmed by a second who neither proposed it nor imported the statement), and the
gateway's payouts. Treasury staff only."""

import html
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from licensing import roles
from payments import numbering
from payments.models import Invoice
from payments.states import InvoiceState
from tests.factories import BusinessFactory, UserFactory
from tests.payments.support import TOTAL, awaiting_payment
from tests.portal import in_english, post
from treasury.models import (
    BankLine,
    BankStatement,
    CounterPayment,
    GatewayPayout,
    GatewayTransaction,
)
from treasury.statements import statement_import

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"


@pytest.fixture
def officer():
    return UserFactory(groups=[roles.TREASURY_OFFICER])


@pytest.fixture
def treasury(client, officer):
    client.force_login(officer)
    return in_english(client)


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ",
                                                    response.content.decode())))


def upload(client, name: str, fmt: str, data: bytes | None = None):
    content = (FILES / name).read_bytes() if data is None else data
    return post(client, reverse("treasury:statement_upload"),
                {"file": SimpleUploadedFile(name, content), "format": fmt})


def imported(officer, data: str):
    return statement_import(data=data.encode(), filename="bank.csv", fmt="csv", user=officer)


def a_payout(*, amount: int = 300_000) -> GatewayPayout:
    """A payout as the pull writes it, with two card transactions."""
    payout = GatewayPayout.objects.create(
        payout_id="po_view_test", amount=amount, status="paid",
        arrival_date=timezone.localdate(), created_at_gateway=timezone.now(),
        transactions_pulled_at=timezone.now())
    for number, gross in enumerate((153_000, 151_000)):
        GatewayTransaction.objects.create(
            txn_id=f"txn_view_{number}", type="charge", amount=gross, fee=gross - 150_000,
            net=150_000, source=f"ch_view_{number}", created_at_gateway=timezone.now(),
            payout=payout)
    return payout


PAGES = [
    ("treasury:statement_list", False),
    ("treasury:statement_upload", False),
    ("treasury:statement_detail", True),
    ("treasury:counter_payment_record", True),
    ("treasury:counter_payment_list", False),
    ("treasury:payout_list", False),
    ("treasury:payout_detail", True),
]


def page_urls(officer) -> list[str]:
    statement = imported(officer, "date,reference,description,debit,credit\n"
                                  "2026-11-27,BRK1,SETOR TUNAI,,1.000\n")
    payout = a_payout()
    ids = {"treasury:statement_detail": statement.pk,
           "treasury:counter_payment_record": statement.lines.get().pk,
           "treasury:payout_detail": payout.pk}
    return [reverse(name, args=[ids[name]] if with_id else []) for name, with_id in PAGES]


def test_treasury_staff_reach_every_page(client, officer):
    urls = page_urls(officer)
    for user in (officer, UserFactory(groups=[roles.TREASURY_SUPERVISOR])):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["business", "front_office", "head_of_office"])
def test_nobody_else_reaches_them(client, officer, who):
    urls = page_urls(officer)
    if who == "business":
        user = UserFactory()
        BusinessFactory(owner=user)
    else:
        user = UserFactory(groups=[getattr(roles, who.upper())])
    client.force_login(user)

    for url in urls:
        assert client.get(url).status_code == 403, url
    assert upload(client, "stmt_ok.csv", "csv").status_code == 403
    assert BankStatement.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, officer):
    for url in page_urls(officer):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_uploaded_statement_shows_its_lines_added_and_skipped(treasury, officer):
    imported(officer, "date,reference,description,debit,credit\n"
                      "2026-11-27,BRK0001,IZIN PAYOUT po_test1,,1.807.500\n")

    response = upload(treasury, "stmt_ok.csv", "csv")

    statement = BankStatement.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("treasury:statement_detail", args=[statement.pk])
    page = text(treasury.get(response["Location"]))
    assert "Statement imported: 2 lines added, 1 already imported lines skipped." in page
    assert "BRK0002" in page and "Rp -5.000" in page


def test_a_refused_file_lists_its_problems_by_line_and_writes_nothing(treasury):
    response = upload(treasury, "stmt_malformed.sta", "mt940")

    assert response.status_code == 400
    page = text(response)
    assert "The file was not imported" in page
    assert "Line 2: The account BRKSIDJA/9990001112223 is not the city's account" in page
    assert "Line 5: The :61: field has an impossible date." in page
    assert "Line 10: The amount is in USD, not in rupiah (IDR)." in page
    assert not BankLine.objects.exists() and not BankStatement.objects.exists()


def test_a_file_already_imported_writes_nothing_and_says_so(treasury):
    upload(treasury, "stmt_ok.sta", "mt940")

    response = upload(treasury, "stmt_ok.sta", "mt940")

    assert response.status_code == 302
    assert response["Location"] == reverse("treasury:statement_list")
    assert "Every line of this file is already imported; nothing was added." in text(
        treasury.get(response["Location"]))
    assert BankStatement.objects.count() == 1


def test_an_upload_without_a_file_is_asked_again(treasury):
    response = post(treasury, reverse("treasury:statement_upload"), {"format": "csv"})

    assert response.status_code == 400
    assert "This field is required." in text(response)


def test_the_statement_shows_each_lines_match_and_offers_a_counter_payment(treasury, officer):
    _application, _owner, bill = awaiting_payment()
    payout = a_payout()
    statement = imported(officer, "date,reference,description,debit,credit\n"
                                  f"2026-11-27,BRK1,IZIN PAYOUT {payout.payout_id},,300.000\n"
                                  f"2026-11-27,BRK2,SETOR TUNAI {bill.billing_code},,1.807.500\n"
                                  "2026-11-27,BRK3,BIAYA ADMIN,5.000,\n")
    payout_line, teller_line, fee_line = statement.lines.order_by("line_number")
    BankLine.objects.filter(pk=payout_line.pk).update(payout=payout)  # as matching links it

    page = treasury.get(reverse("treasury:statement_detail", args=[statement.pk])).content.decode()

    assert reverse("treasury:payout_detail", args=[payout.pk]) in page
    assert reverse("treasury:counter_payment_record", args=[teller_line.pk]) in page
    assert f'value="{bill.billing_code}"' in page  # prefilled from the line's description
    assert reverse("treasury:counter_payment_record", args=[payout_line.pk]) not in page
    assert reverse("treasury:counter_payment_record", args=[fee_line.pk]) not in page


def teller_statement(officer, bill) -> BankStatement:
    return imported(officer, "date,reference,description,debit,credit\n"
                             f"{timezone.localdate()},BRK1,SETOR TUNAI {bill.billing_code},,"
                             "1.807.500\n")


def as_user(client, user):
    client.force_login(user)
    return in_english(client)


CONFIRM_BUTTON = "Confirm the payment and settle the bill"


def test_a_counter_payment_proposed_on_its_page_waits_for_a_second_officer(client, treasury,
                                                                          officer):
    _application, _owner, bill = awaiting_payment()
    statement = teller_statement(officer, bill)
    line = statement.lines.get()
    url = reverse("treasury:counter_payment_record", args=[line.pk])

    form = text(treasury.get(url))
    response = post(treasury, url, {"billing_code": bill.billing_code, "note": "Loket Sudirman"})

    assert f"bill {bill.number}, Rp 1.807.500" in form
    assert response.status_code == 302
    assert response["Location"] == url
    # One officer alone: the bill stays unpaid.
    assert Invoice.objects.get(pk=bill.pk).state == InvoiceState.ISSUED
    proposed = CounterPayment.objects.get()
    assert (proposed.bank_line, proposed.state) == (line, "proposed")
    listing = text(treasury.get(reverse("treasury:statement_detail", args=[statement.pk])))
    assert f"Proposed for bill {bill.number} by {officer.full_name}" in listing
    queue = text(treasury.get(reverse("treasury:counter_payment_list")))
    assert bill.number in queue and officer.full_name in queue

    # The proposer (who also imported the statement) gets no button, and a POST is refused.
    page = treasury.get(url)
    assert CONFIRM_BUTTON not in text(page)
    assert "You proposed this counter payment: another treasury officer must confirm it." in (
        text(page))
    confirm = reverse("treasury:counter_payment_confirm", args=[proposed.pk])
    refused = post(treasury, confirm)
    assert refused.status_code == 403
    assert "You proposed this counter payment" in text(refused)
    assert Invoice.objects.get(pk=bill.pk).state == InvoiceState.ISSUED

    # A second officer confirms: the bill is paid, the history names both.
    second = UserFactory(groups=[roles.TREASURY_OFFICER])
    as_user(client, second)
    assert CONFIRM_BUTTON in text(client.get(url))
    response = post(client, confirm)
    assert response.status_code == 302
    assert Invoice.objects.get(pk=bill.pk).state == InvoiceState.PAID
    page = text(client.get(url))
    assert officer.full_name in page and second.full_name in page
    listing = text(client.get(reverse("treasury:statement_detail", args=[statement.pk])))
    assert f"Paid at the counter: bill {bill.number}" in listing


def test_the_statements_importer_is_not_offered_the_confirmation_and_is_refused(client,
                                                                                officer):
    _application, _owner, bill = awaiting_payment()
    line = teller_statement(officer, bill).lines.get()  # ``officer`` imported it
    proposer = UserFactory(groups=[roles.TREASURY_OFFICER])
    as_user(client, proposer)
    post(client, reverse("treasury:counter_payment_record", args=[line.pk]),
         {"billing_code": bill.billing_code})
    proposed = CounterPayment.objects.get()

    as_user(client, officer)
    page = text(client.get(reverse("treasury:counter_payment_record", args=[line.pk])))
    refused = post(client, reverse("treasury:counter_payment_confirm", args=[proposed.pk]))

    assert CONFIRM_BUTTON not in page
    assert "You imported the bank statement this line comes from" in page
    assert refused.status_code == 403
    assert "You imported the bank statement this line comes from" in text(refused)
    assert Invoice.objects.get(pk=bill.pk).state == InvoiceState.ISSUED


def test_a_second_officer_rejects_a_proposal_and_the_line_is_free_again(client, treasury,
                                                                        officer):
    _application, _owner, bill = awaiting_payment()
    line = teller_statement(officer, bill).lines.get()
    url = reverse("treasury:counter_payment_record", args=[line.pk])
    post(treasury, url, {"billing_code": bill.billing_code})
    proposed = CounterPayment.objects.get()
    reject = reverse("treasury:counter_payment_reject", args=[proposed.pk])

    as_user(client, UserFactory(groups=[roles.TREASURY_SUPERVISOR]))
    assert post(client, reject, {"note": ""}).status_code == 400
    response = post(client, reject, {"note": "Slip setoran untuk SKRD lain"})

    assert response.status_code == 302
    assert CounterPayment.objects.get().state == "rejected"
    assert Invoice.objects.get(pk=bill.pk).state == InvoiceState.ISSUED
    page = text(client.get(url))
    assert "Slip setoran untuk SKRD lain" in page
    assert 'name="billing_code"' in client.get(url).content.decode()  # open for a new one


@pytest.mark.parametrize(("credit", "code", "error"), [
    (TOTAL - 1, None, "but bill"),
    (TOTAL, "1234", "A billing code has 16 digits and a valid check digit"),
    (TOTAL, numbering.billing_code(year=2099, seq=1), "No bill has this billing code."),
])
def test_a_refused_counter_payment_shows_why_and_keeps_what_was_typed(treasury, officer,
                                                                      credit, code, error):
    _application, _owner, bill = awaiting_payment()
    line = imported(officer, "date,reference,description,debit,credit\n"
                             f"{timezone.localdate()},BRK1,SETOR TUNAI,,{credit}\n").lines.get()
    typed = code or bill.billing_code

    response = post(treasury, reverse("treasury:counter_payment_record", args=[line.pk]),
                    {"billing_code": typed, "note": "Loket"})

    assert response.status_code == 400
    assert error in text(response)
    assert f'value="{typed}"' in response.content.decode()
    assert Invoice.objects.get(pk=bill.pk).state == InvoiceState.ISSUED
    assert not CounterPayment.objects.exists()


def test_there_is_no_page_to_settle_a_bill_without_a_bank_line(treasury):
    _application, _owner, bill = awaiting_payment()

    response = post(treasury, reverse("treasury:counter_payment_record", args=[999_999]),
                    {"billing_code": bill.billing_code})

    assert response.status_code == 404
    assert Invoice.objects.get(pk=bill.pk).state == InvoiceState.ISSUED


def test_payouts_show_their_transactions_sums_and_bank_line(treasury, officer):
    payout = a_payout()
    line = imported(officer, "date,reference,description,debit,credit\n"
                             f"2026-11-27,BRK77,IZIN PAYOUT {payout.payout_id},,300.000\n"
                    ).lines.get()
    BankLine.objects.filter(pk=line.pk).update(payout=payout)

    listing = text(treasury.get(reverse("treasury:payout_list")))
    detail = text(treasury.get(reverse("treasury:payout_detail", args=[payout.pk])))

    assert payout.payout_id in listing and "Rp 300.000" in listing and "BRK77" in listing
    assert "txn_view_0" in detail and "txn_view_1" in detail
    assert "Total Rp 304.000 Rp 4.000 Rp 300.000" in detail
    assert "BRK77" in detail

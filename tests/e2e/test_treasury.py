"""The treasury in a real browser: the officer's day (dashboard, the bank's statement uploaded,
its lines, an exception opened and a write-off proposed) and the supervisor's four eyes."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.browsing import in_indonesian, log_in, press_main_button
from tests.treasury import builders
from treasury.models import Discrepancy
from treasury.states import DiscrepancyKind, DiscrepancyState, Resolution

UNIDENTIFIED = "SETORAN TUNAI TANPA KODE BAYAR"


@pytest.fixture
def money_in():
    """A bill paid by card yesterday and the gateway's payout of it, pulled already."""
    payment = builders.paid(builders.bill())
    fee = 4_550
    payout = builders.payout(amount=payment.amount_received - fee,
                             arrival_date=timezone.localdate() - timedelta(days=1))
    builders.charge_of(payment, fee=fee, payout=payout)
    return payout


def statement_csv(payout) -> bytes:
    """The bank's export for yesterday: the gateway's payout, and cash nobody can place."""
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    return (f"date,reference,description,debit,credit\n"
            f"{day},FT0001,IZIN PAYOUT {payout.payout_id},,{payout.amount}\n"
            f"{day},FT0002,{UNIDENTIFIED},,500000\n").encode()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_officer_proposes_a_write_off_that_only_a_second_officer_approves(open_page,
                                                                              money_in):
    officer, supervisor = builders.officer(), builders.supervisor()
    page = open_page()
    log_in(page, officer)

    page.goto("/treasury/")
    expect(page.locator("figure svg").first).to_be_visible()
    expect(page.locator("#received-30")).to_contain_text("150.000")

    page.goto("/treasury/statements/upload/")
    page.locator('input[name="file"]').set_input_files(files=[{
        "name": "mutasi-kemarin.csv", "mimeType": "text/csv",
        "buffer": statement_csv(money_in)}])
    page.locator('select[name="format"]').select_option("csv")
    press_main_button(page)
    expect(page).to_have_url(re.compile(r"/treasury/statements/\d+/$"))
    lines = page.locator("tr.bank-line")
    expect(lines).to_have_count(2)
    expect(lines.filter(has_text=UNIDENTIFIED)).to_contain_text("500.000")

    # Matched as the upload committed, not at the next hourly run: the payout's line is linked,
    # the cash nobody can place is left for review.
    status = page.locator(".matching-status")
    expect(status).to_have_attribute("data-matched", "1")
    expect(status).to_have_attribute("data-review", "1")
    line_exception = Discrepancy.objects.get(kind=DiscrepancyKind.UNMATCHED_BANK_LINE)
    page.goto("/treasury/exceptions/")
    page.locator(f'tr.exception[data-key="{line_exception.key}"] a').click()
    expect(page).to_have_url(re.compile(f"/treasury/exceptions/{line_exception.pk}/$"))
    expect(page.locator("table.evidence")).to_contain_text(UNIDENTIFIED)
    proposal = page.locator("form.propose-form")
    proposal.locator(f'input[name="resolution"][value="{Resolution.WRITE_OFF}"]').check()
    proposal.locator('textarea[name="note"]').fill("Setoran tunai tanpa identitas penyetor.")
    proposal.locator('button[type="submit"]').click()
    expect(page.locator(".exception-state")).to_have_text(
        in_indonesian(DiscrepancyState.AWAITING_APPROVAL.label))
    # Whoever proposed it gets no way to approve it.
    expect(page.locator(".refusal")).to_be_visible()
    expect(page.locator("button.approve")).to_have_count(0)

    second = open_page()
    log_in(second, supervisor)
    second.goto(f"/treasury/exceptions/{line_exception.pk}/")
    second.locator("button.approve").click()
    expect(second.locator(".exception-state")).to_have_text(
        in_indonesian(DiscrepancyState.RESOLVED.label))
    line_exception.refresh_from_db()
    assert (line_exception.proposed_by, line_exception.resolved_by) == (officer, supervisor)
    assert line_exception.resolution == Resolution.WRITE_OFF

"""Matching right after a statement is uploaded: its lines are matched once the upload commits,
not at the next hourly run, and the statement's page says when matching ran and what it left
(from what the run stored; until then, that it is running)."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.portal import in_english, post
from tests.treasury import builders as b
from treasury import settlements, tasks
from treasury.models import BankLine, BankStatement, Discrepancy
from treasury.settlements import SettlementPull
from treasury.states import DiscrepancyKind as K

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def payout():
    """A payout pulled from the gateway, due in the bank yesterday."""
    return b.payout(amount=300_000, arrival_date=TODAY - timedelta(days=1),
                    payout_id="po_after_upload", pulled=False)


def statement_csv(payout) -> bytes:
    day = (TODAY - timedelta(days=1)).isoformat()
    return (f"date,reference,description,debit,credit\n"
            f"{day},FT0001,IZIN PAYOUT {payout.payout_id},,{payout.amount}\n"
            f"{day},FT0002,SETORAN TUNAI TANPA KODE,,500000\n"
            f"{day},FT0003,BIAYA ADMIN,5000,\n").encode()


def upload(client, data: bytes):
    return post(client, reverse("treasury:statement_upload"),
                {"file": SimpleUploadedFile("mutasi.csv", data), "format": "csv"})


def status(page: str) -> dict[str, str]:
    tag = re.search(r'<dd class="matching-status"([^>]*)>', page).group(1)
    return dict(re.findall(r'data-(\w+)="([^"]*)"', tag))


def text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def treasury(client):
    in_english(client).force_login(b.officer())
    return client


def test_an_uploaded_statement_is_matched_when_the_upload_commits_and_says_so(
        treasury, payout, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = upload(treasury, statement_csv(payout))

    assert response.status_code == 302 and len(queued) == 1
    statement = BankStatement.objects.get()
    lines = {line.bank_reference: line for line in statement.lines.all()}
    assert lines["FT0001"].payout == payout  # no hourly run: the upload's own
    assert lines["FT0002"].payout is None
    assert set(Discrepancy.objects.filter(kind=K.UNMATCHED_BANK_LINE)
               .values_list("bank_line__bank_reference", flat=True)) == {"FT0002", "FT0003"}
    assert (statement.lines_matched, statement.lines_to_review) == (1, 2)
    page = treasury.get(response["Location"]).content.decode()
    assert status(page) == {"state": "done", "matched": "1", "review": "2"}
    ran_at = timezone.localtime(statement.matched_at).strftime("%H:%M")
    assert f"Matching ran at {ran_at}: 1 lines matched, 2 left for review." in text(page)
    assert f'{reverse("treasury:exception_list")}?kind=bank_line' in page


def test_until_matching_has_run_the_page_says_it_is_running(treasury, payout):
    response = upload(treasury, statement_csv(payout))  # on commit: never, in this test

    page = treasury.get(response["Location"]).content.decode()

    assert status(page) == {"state": "running"}
    assert BankStatement.objects.get().matched_at is None
    assert not BankLine.objects.filter(payout__isnull=False).exists()


def test_running_the_statements_matching_again_links_nothing_new(treasury, payout,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(treasury, statement_csv(payout))
    statement = BankStatement.objects.get()

    counts = tasks.statement_match(statement.pk)

    assert counts["bank_lines_linked"] == 0 and counts["bank_line"] == 0
    again = BankStatement.objects.get()
    assert (again.lines_matched, again.lines_to_review) == (1, 2)
    assert again.matched_at >= statement.matched_at


def test_the_hourly_run_fills_in_a_statement_whose_own_run_was_lost(treasury, payout,
                                                                    monkeypatch):
    upload(treasury, statement_csv(payout))  # its task never ran
    monkeypatch.setattr(settlements, "settlements_pull", lambda: SettlementPull())

    tasks.settlements_pull()

    statement = BankStatement.objects.get()
    assert (statement.lines_matched, statement.lines_to_review) == (1, 2)
    page = treasury.get(reverse("treasury:statement_detail", args=[statement.pk]))
    assert status(page.content.decode())["state"] == "done"

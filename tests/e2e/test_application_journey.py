"""The whole walk, as people click it in Indonesian: a business owner applies, a reviewer asks
for a better document, the owner answers, two reviewers of different agencies approve, and the
owner follows it all on the application's timeline."""

import re
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from licensing.models import Application, Business
from licensing.states import ApplicationState as S
from tests.e2e.browsing import (
    PASSWORD,
    business_form_fill,
    in_indonesian,
    log_in,
    press_main_button,
    send,
)
from tests.factories import (
    FormFieldFactory,
    PermitTypeFactory,
    RequiredDocumentFactory,
    UserFactory,
)
from tests.lifecycle import pdf_bytes
from workflows.models import ReviewTask

BUILDING_AGENCY = "dinas_pupr"
ENVIRONMENT_AGENCY = "dinas_lingkungan_hidup"


@pytest.fixture
def permit_type():
    """A free permit reviewed in two steps by two agencies, with a typed form and one document."""
    permit_type = PermitTypeFactory(code="PBG", name_id="Persetujuan Bangunan Gedung",
                                    steps=[BUILDING_AGENCY, ENVIRONMENT_AGENCY])
    RequiredDocumentFactory(permit_type=permit_type, name_id="Surat permohonan",
                            name_en="Application letter", accepted_formats=["pdf"])
    FormFieldFactory(permit_type=permit_type, key="floor_area", label_id="Luas lantai",
                     kind="number", unit="m²", min_value=1, max_value=10000)
    FormFieldFactory(permit_type=permit_type, key="opening_date", label_id="Tanggal mulai",
                     kind="date")
    FormFieldFactory(
        permit_type=permit_type, key="building_use", label_id="Fungsi bangunan", kind="choice",
        choices=[{"value": "shop", "label_id": "Toko", "label_en": "Shop"},
                 {"value": "house", "label_id": "Rumah", "label_en": "House"}],
    )
    return permit_type


def pdf_file(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(text)}


def claim_and_open(page, reference: str) -> None:
    """From the inbox: claim the task of the application, which opens the task page."""
    page.locator('header a[href="/review/"]').click()
    row = page.locator("tr.task", has_text=reference)
    expect(row).to_have_count(1)
    row.locator('button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/review/tasks/\d+/$"))


def decide(page, decision: str, message: str = "", replace: tuple[int, ...] = ()) -> None:
    page.locator(f'input[name="decision"][value="{decision}"]').check()
    page.locator('textarea[name="message"]').fill(message)
    for requirement_pk in replace:
        page.locator(f'input[name="documents_to_replace"][value="{requirement_pk}"]').check()
    page.locator('form.decision-form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/review/$"))


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_from_sign_up_to_issued_through_two_review_steps(page, open_page, permit_type):
    letter = permit_type.required_documents.get()
    first_reviewer = UserFactory(groups=[BUILDING_AGENCY])
    second_reviewer = UserFactory(groups=[ENVIRONMENT_AGENCY])
    started = timezone.now()

    # The owner signs up and registers the business.
    page.goto("/")
    page.locator('main a[href="/accounts/signup/"]').click()
    page.locator('input[name="email"]').fill("Pemilik@Warung-Sari.id")
    page.locator('input[name="full_name"]').fill("Siti Rahmawati")
    page.locator('input[name="password1"]').fill(PASSWORD)
    page.locator('input[name="password2"]').fill(PASSWORD)
    press_main_button(page)
    # ... confirms the address from the e-mail (its link signs her in) ...
    expect(page).to_have_url(re.compile(r"/accounts/signup/sent/$"))
    [confirmation] = [m for m in mail.outbox if m.to == ["pemilik@warung-sari.id"]]
    page.goto(urlsplit(re.search(r"https?://\S+/accounts/confirm/\S+/", confirmation.body)
                       .group(0)).path)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.locator('main a[href="/businesses/new/"]').click()
    business_form_fill(page, legal_name="CV Warung Sari", nib="9120001234567")
    press_main_button(page)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    business = Business.objects.get(nib="9120001234567")
    assert business.memberships.get().user.email == "pemilik@warung-sari.id"

    # ... finds the permit in the catalogue and starts an application for the business.
    page.locator('header a[href="/catalogue/"]').click()
    page.locator('main a[href="/catalogue/PBG/"]').click()
    expect(page.locator("tr.review-step")).to_have_count(2)
    page.locator('main a[href="/applications/new/PBG/"]').click()
    expect(page.locator(f'input[name="business"][value="{business.pk}"]')).to_be_checked()
    press_main_button(page)
    expect(page).to_have_url(re.compile(r"/applications/\d+/edit/$"))
    application = Application.objects.get(business=business, permit_type=permit_type)
    detail = f"/applications/{application.pk}/"

    # ... fills the typed form,
    page.locator('input[name="floor_area"]').fill("120.5")
    page.locator('input[name="opening_date"]').fill("2026-09-01")
    page.locator('select[name="building_use"]').select_option("shop")
    press_main_button(page)
    expect(page).to_have_url(re.compile(f"{detail}$"))
    expect(page.locator("main table").first).to_contain_text("120,5 m²")
    expect(page.locator("main table").first).to_contain_text("1 September 2026")
    expect(page.locator("main table").first).to_contain_text("Toko")

    # ... uploads the letter as a real PDF, and submits.
    upload = f"/documents/applications/{application.pk}/documents/{letter.pk}/"
    page.locator(f"#file-{letter.pk}").set_input_files(pdf_file("surat-permohonan.pdf", "v1"))
    send(page, upload)
    expect(page.locator('a[href^="/documents/attachments/"]')).to_have_text(
        "surat-permohonan.pdf")
    expect(page.locator("section.missing")).to_have_count(0)
    send(page, f"{detail}submit/")
    expect(page.locator("strong.state")).to_have_text(in_indonesian(S.IN_REVIEW.label))
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW
    assert application.answers == {"floor_area": 120.5, "opening_date": "2026-09-01",
                                   "building_use": "shop"}

    # The building agency's reviewer claims the task and asks for a signed letter.
    reviewer = open_page()
    log_in(reviewer, first_reviewer)
    claim_and_open(reviewer, application.reference)
    decide(reviewer, "request_changes", "Surat permohonan belum ditandatangani.",
           replace=(letter.pk,))
    application.refresh_from_db()
    assert application.state == S.CHANGES_REQUESTED

    # The owner sees the request, uploads a signed version and sends the application back.
    page.goto(detail)
    change_request = page.locator("section.change-request")
    expect(change_request).to_contain_text("Surat permohonan belum ditandatangani.")
    expect(change_request).to_contain_text("Surat permohonan")
    expect(page.locator(".document.to-replace")).to_have_count(1)
    page.locator(f"#file-{letter.pk}").set_input_files(
        pdf_file("surat-permohonan-ttd.pdf", "v2 ditandatangani"))
    send(page, upload)
    expect(page.locator(".document.to-replace")).to_have_count(0)
    expect(page.locator(".document details a")).to_have_text("surat-permohonan.pdf")
    page.locator(f'form[action="{detail}resubmit/"] textarea[name="note"]').fill(
        "Surat sudah ditandatangani.")
    send(page, f"{detail}resubmit/")
    expect(page.locator("strong.state")).to_have_text(in_indonesian(S.IN_REVIEW.label))
    assert list(application.attachments.order_by("version").values_list(
        "version", "original_name")) == [(1, "surat-permohonan.pdf"),
                                         (2, "surat-permohonan-ttd.pdf")]

    # The same reviewer reviews the step again and approves it; the second agency approves last.
    claim_and_open(reviewer, application.reference)
    expect(reviewer.locator("table.documents")).to_contain_text("surat-permohonan-ttd.pdf")
    decide(reviewer, "approve")
    expect(reviewer.locator("tr.task", has_text=application.reference)).to_have_count(0)

    other_reviewer = open_page()
    log_in(other_reviewer, second_reviewer)
    claim_and_open(other_reviewer, application.reference)
    decide(other_reviewer, "approve")

    # A free permit is issued once approved: the owner sees it, and the timeline tells it all.
    application.refresh_from_db()
    assert application.state == S.ISSUED
    assert list(ReviewTask.objects.filter(application=application)
                .order_by("pk").values_list("step__position", "state", "decided_by")) == [
        (1, "changes_requested", first_reviewer.pk),
        (1, "approved", first_reviewer.pk),
        (2, "approved", second_reviewer.pk),
    ]
    page.goto(detail)
    expect(page.locator("strong.state")).to_have_text(in_indonesian(S.ISSUED.label))
    expect(page.locator("ol.steps > li.step-done")).to_have_count(2)
    timeline_shows_every_step(page, started=started)
    expect(page.locator("ol.timeline")).not_to_contain_text(first_reviewer.full_name)


def timeline_shows_every_step(page, *, started: datetime) -> None:
    # The history is collapsed under the summary; a click opens it, without JavaScript.
    page.locator("details.history > summary").click()
    entries = page.locator("ol.timeline > li")
    expect(entries.first).to_be_visible()
    labels = entries.all_inner_texts()
    events = [entries.nth(i).get_attribute("data-event") for i in range(len(labels))]
    # Every move that mattered to the business, in order.
    moves = ["application.submit", "reviewtask.request_changes", "application.resubmit",
             "application.approve", "application.issue"]
    expected = iter(moves)
    wanted = next(expected)
    for event in events:
        if wanted and wanted == event:
            wanted = next(expected, None)
    assert wanted is None, f"{wanted!r} is missing from the history, in order: {events}"
    # Each review task: opened and decided; the office's own work (taken up) is not told.
    # Step 1 was reviewed twice.
    assert "reviewtask.claim" not in events, events
    assert sum("Langkah 1" in label for label in labels) == 4, labels
    assert sum("Langkah 2" in label for label in labels) == 2, labels
    # And every entry is dated, in order, as Indonesians write dates.
    times = entries.locator("time")
    moments = [datetime.fromisoformat(stamp) for stamp in
               (times.nth(i).get_attribute("datetime") for i in range(len(labels)))]
    assert moments == sorted(moments)
    assert started.replace(microsecond=0) <= moments[0] and moments[-1] <= timezone.now()
    with translation.override("id"):
        shown = [formats.date_format(timezone.localtime(moment), "j F Y, H:i")
                 for moment in moments]
    assert times.all_inner_texts() == shown

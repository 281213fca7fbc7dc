"""Uploading a document from a phone on a slow network. Where JavaScript runs, a file its document
does not take is stopped before a byte is sent, a photo over the limit is made smaller in the
browser, a progress bar shows the sending, and the page ends at the document's card. Without
JavaScript the same form posts as it is and the server says the same."""

import io
import re

import pytest
from django.utils import translation
from PIL import Image
from playwright.sync_api import expect

from documents.models import Attachment
from documents.sizes import file_size
from tests.e2e.browsing import log_in
from tests.factories import PermitTypeFactory, RequiredDocumentFactory
from tests.lifecycle import draft, pdf_bytes

LETTER_LIMIT = 64 * 1024
PHOTO_LIMIT = 500 * 1024


@pytest.fixture
def setting():
    """A draft needing a letter (PDF, at most 64 KB) and a site photo (PDF or image, 500 KB)."""
    permit_type = PermitTypeFactory()
    letter = RequiredDocumentFactory(permit_type=permit_type, name_id="Surat permohonan",
                                     name_en="Application letter", accepted_formats=["pdf"],
                                     max_size_kb=LETTER_LIMIT // 1024)
    photo = RequiredDocumentFactory(permit_type=permit_type, name_id="Foto lokasi",
                                    name_en="Site photo", max_size_kb=PHOTO_LIMIT // 1024)
    application, owner = draft(permit_type=permit_type)
    return application, owner, letter, photo


def size_read(n_bytes: int) -> str:
    """A size as the (Indonesian) page writes it."""
    with translation.override("id"):
        return file_size(n_bytes)


def big_photo() -> bytes:
    """A 2400 × 1800 phone photo of about 3,7 MB: grain, as a camera's sensor gives it."""
    width, height = 2400, 1800
    grain = Image.effect_noise((width, height), 40).convert("L")
    light = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (Image.blend(light, grain, 0.5), grain, light))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def posts_to(page, url: str) -> list:
    sent = []
    page.on("request", lambda request: sent.append(request.url)
            if request.method == "POST" and request.url.endswith(url) else None)
    return sent


def on_a_slow_network(page) -> None:
    """About 3G: 256 KB/s up, so the progress bar has something to show."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 150, "downloadThroughput": 750 * 1024,
        "uploadThroughput": 256 * 1024})


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_pdf_over_the_limit_is_stopped_in_the_browser_and_nothing_is_sent(page, setting,
                                                                           live_server):
    application, owner, letter, _photo = setting
    log_in(page, owner)
    page.goto(f"/applications/{application.pk}/")
    upload = f"/documents/applications/{application.pk}/documents/{letter.pk}/"
    sent = posts_to(page, upload)
    content = pdf_bytes("x" * 100_000)
    file_input = page.locator(f"#file-{letter.pk}")
    expect(file_input).to_have_attribute("accept", ".pdf,application/pdf")

    file_input.set_input_files({"name": "surat.pdf", "mimeType": "application/pdf",
                                "buffer": content})
    error = page.locator(f"#file-{letter.pk}-error")
    expect(error).to_be_visible()
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text(size_read(len(content)))
    expect(error).to_contain_text("64 KB")
    expect(file_input).to_have_attribute("aria-invalid", "true")

    page.locator(f"#document-{letter.pk} button[type=submit]").click()
    expect(file_input).to_be_focused()
    assert sent == []
    assert not Attachment.objects.exists()

    # A file that fits clears the error and is sent.
    file_input.set_input_files({"name": "surat.pdf", "mimeType": "application/pdf",
                                "buffer": pdf_bytes("surat")})
    expect(error).to_be_hidden()
    page.locator(f"#document-{letter.pk} button[type=submit]").click()
    expect(page.locator(f'#document-{letter.pk} a[href^="/documents/attachments/"]')
           ).to_have_text("surat.pdf")
    assert sent == [live_server.url + upload]
    assert Attachment.objects.get().original_name == "surat.pdf"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_big_photo_is_made_smaller_and_sent_with_a_progress_bar(page, setting):
    application, owner, _letter, photo = setting
    log_in(page, owner)
    page.goto(f"/applications/{application.pk}/")
    content = big_photo()
    assert len(content) > 3 * 1024 * 1024

    file_input = page.locator(f"#file-{photo.pk}")
    file_input.set_input_files({"name": "foto-lokasi.jpg", "mimeType": "image/jpeg",
                                "buffer": content})
    note = page.locator(f"#file-{photo.pk}-note")
    expect(note).to_contain_text(size_read(len(content)))
    expect(page.locator(f"#file-{photo.pk}-error")).to_be_hidden()

    # Every value the progress bar shows while it is shown, recorded as the page goes.
    page.evaluate("""id => {
      window.progressSeen = [];
      const bar = document.getElementById(id);
      new MutationObserver(() => {
        if (!bar.parentNode.hidden) window.progressSeen.push(bar.value);
      }).observe(bar, {attributes: true});
      new MutationObserver(() => {
        if (!bar.parentNode.hidden) window.progressSeen.push(bar.value);
      }).observe(bar.parentNode, {attributes: true});
    }""", f"file-{photo.pk}-progress")
    on_a_slow_network(page)
    page.locator(f"#document-{photo.pk} button[type=submit]").click()

    expect(page.locator(f'#document-{photo.pk} a[href^="/documents/attachments/"]')
           ).to_have_text("foto-lokasi.jpg")
    expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/#document-{photo.pk}$"))
    stored = Attachment.objects.get()
    assert stored.file_format == "jpeg"
    assert stored.size <= PHOTO_LIMIT
    seen = page.evaluate("window.progressSeen")
    assert seen[-1] == 100
    assert any(0 < value < 100 for value in seen), seen  # it moved while the photo went up
    # The page's message is also told at the card, where the eyes are; the bar is gone.
    expect(page.locator(".messages li")).to_have_count(1)
    expect(page.locator(f"#file-{photo.pk}-note")).not_to_be_empty()
    expect(page.locator(f"#document-{photo.pk} .upload-progress")).to_be_hidden()
    expect(page.locator(f"#document-{photo.pk} h3")).to_be_focused()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_form_posts_and_the_server_states_the_size(open_page, setting):
    application, owner, letter, _photo = setting
    page = open_page(java_script_enabled=False)
    log_in(page, owner)
    page.goto(f"/applications/{application.pk}/")
    content = pdf_bytes("x" * 100_000)
    page.locator(f"#file-{letter.pk}").set_input_files(
        {"name": "surat.pdf", "mimeType": "application/pdf", "buffer": content})
    page.locator(f"#document-{letter.pk} button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/#document-{letter.pk}$"))
    refusal = page.locator(".messages li.error")
    expect(refusal).to_contain_text(size_read(len(content)))
    expect(refusal).to_contain_text("64 KB")
    assert not Attachment.objects.exists()

    page.locator(f"#file-{letter.pk}").set_input_files(
        {"name": "surat.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("surat")})
    page.locator(f"#document-{letter.pk} button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/#document-{letter.pk}$"))
    expect(page.locator(f'#document-{letter.pk} a[href^="/documents/attachments/"]')
           ).to_have_text("surat.pdf")
    assert Attachment.objects.get().original_name == "surat.pdf"

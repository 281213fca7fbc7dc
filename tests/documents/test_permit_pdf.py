"""The permit PDF in four steps: context, HTML, PDF, signature; and two validators agreeing."""

import pytest

from documents import rendering
from documents.context import permit_context
from documents.validation import validate_pdf
from tests.documents.pdf_tools import HOSTILE, pdf_text, pdfsig
from tests.documents.permits import issued
from tests.factories import BusinessFactory, UserFactory

pytestmark = pytest.mark.django_db

def stored_pdf(permit) -> bytes:
    with permit.file.open("rb") as stored:
        return stored.read()


def tampered(pdf: bytes) -> bytes:
    """One byte changed inside the first signed range (the page content precedes it)."""
    changed = bytearray(pdf)
    changed[len(pdf) // 4] ^= 0x01
    return bytes(changed)


def test_the_html_shows_everything_a_permit_states(django_capture_on_commit_callbacks):
    permit = issued(django_capture_on_commit_callbacks)
    permit.conditions = "Jam operasional 08.00-22.00 WIB.\n\nDilarang parkir di bahu jalan."
    context = permit_context(permit)
    html = rendering.permit_html(context)
    holder = permit.holder
    for shown in (permit.number, holder.legal_name, holder.nib, holder.street_address,
                  holder.kbli_codes[0], "Jam operasional 08.00-22.00 WIB.",
                  "Dilarang parkir di bahu jalan.", context["valid_from"]["id"],
                  context["valid_until"]["en"], permit.signer.name, permit.signer.title,
                  permit.signer.nip, permit.permit_type.name_id, permit.permit_type.name_en,
                  f"/verify/{permit.number}/?c={permit.verification_code}",
                  "ditandatangani secara elektronik", "Pekanbaru"):
        assert shown in html
    assert "<svg" in html  # the QR code, drawn inline


def test_each_permit_gets_a_real_pdf_signed_valid_intact_and_trusted(
        django_capture_on_commit_callbacks, tmp_path):
    permit = issued(django_capture_on_commit_callbacks)
    pdf = stored_pdf(permit)
    assert pdf.startswith(b"%PDF")
    [report] = validate_pdf(pdf)
    assert (report.intact, report.valid, report.trusted, report.docmdp_ok) == (
        True, True, True, True)
    assert report.modification_level == "NONE"
    assert "Signature is Valid." in pdfsig(tmp_path, pdf)
    assert permit.number in pdf_text(tmp_path, pdf)


def test_one_changed_byte_breaks_the_signature_for_both_validators(
        django_capture_on_commit_callbacks, tmp_path):
    pdf = tampered(stored_pdf(issued(django_capture_on_commit_callbacks)))
    [report] = validate_pdf(pdf)
    assert not report.intact
    assert not report.holds
    output = pdfsig(tmp_path, pdf)
    assert "Signature is Valid." not in output
    assert "Digest Mismatch" in output or "Invalid" in output


def test_a_hostile_business_name_prints_as_text_and_reads_no_file(
        django_capture_on_commit_callbacks, tmp_path):
    owner = UserFactory()
    business = BusinessFactory(legal_name=HOSTILE, owner=owner)
    permit = issued(django_capture_on_commit_callbacks, business=business, owner=owner)
    html = rendering.permit_html(permit_context(permit))
    assert "&lt;img src=file:///etc/passwd&gt;" in html
    assert HOSTILE not in html
    text = pdf_text(tmp_path, stored_pdf(permit))
    assert HOSTILE in text
    assert "root:" not in text


def test_the_renderer_refuses_anything_but_the_projects_static_files():
    with pytest.raises(rendering.FetchRefused):
        rendering.static_only_fetcher("file:///etc/passwd")
    with pytest.raises(rendering.FetchRefused):
        rendering.static_only_fetcher("https://example.com/logo.png")
    served = rendering.static_only_fetcher(rendering._static_prefix() + "css/izin.css")
    assert served["string"]

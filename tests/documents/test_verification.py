"""Public verification: the page behind the QR code, its JSON, and checking an uploaded PDF."""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents import rendering
from documents.context import qr_url
from licensing.models import Permit
from tests.documents.permits import issued

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def qr_path(permit) -> str:
    """The QR code's address without the site, as a phone would follow it."""
    parts = urlsplit(qr_url(permit))
    return f"{parts.path}?{parts.query}"


def stored_pdf(permit) -> bytes:
    with permit.file.open("rb") as stored:
        return stored.read()


def set_state(permit, state, **fields):
    Permit.objects.filter(pk=permit.pk).update(state=state, **fields)


def upload(client, permit, content: bytes, name="izin.pdf"):
    return client.post(qr_path(permit), {"file": SimpleUploadedFile(name, content)})


def test_the_qr_address_opens_the_public_page_without_login(django_capture_on_commit_callbacks,
                                                          client):
    permit = issued(django_capture_on_commit_callbacks)
    assert "/" in permit.number
    response = client.get(qr_path(permit))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (permit.number, permit.holder.legal_name, permit.holder.nib,
                  permit.permit_type.name_id, permit.sha256):
        assert shown in page


def test_the_page_speaks_english_after_the_switch(django_capture_on_commit_callbacks, client):
    permit = issued(django_capture_on_commit_callbacks)
    client.cookies["django_language"] = "en"
    page = client.get(qr_path(permit)).content.decode()
    assert f"Permit {permit.number} is active" in page
    assert permit.permit_type.name_en in page


@pytest.mark.parametrize("state", ["active", "suspended", "revoked", "expired"])
def test_json_and_page_tell_each_state(django_capture_on_commit_callbacks, client, state):
    permit = issued(django_capture_on_commit_callbacks)
    set_state(permit, state)
    data = client.get(qr_path(permit), **JSON).json()
    assert data["state"] == state
    assert data["valid"] is (state == "active")
    assert data["number"] == permit.number
    assert data["holder"] == {"name": permit.holder.legal_name, "nib": permit.holder.nib}
    assert data["permit_type"]["code"] == permit.permit_type.code
    assert data["valid_from"] == permit.valid_from.isoformat()
    assert data["valid_until"] == permit.valid_until.isoformat()
    assert data["sha256"] == permit.sha256
    client.cookies["django_language"] = "en"
    page = client.get(qr_path(permit)).content.decode()
    if state == "active":
        assert "is active" in page
    else:
        assert f"is not in force. Its state: {state.capitalize()}." in page


def test_a_superseded_permit_links_to_its_successor(django_capture_on_commit_callbacks, client):
    old = issued(django_capture_on_commit_callbacks)
    new = issued(django_capture_on_commit_callbacks)
    set_state(old, "superseded", superseded_by=new)
    data = client.get(qr_path(old), **JSON).json()
    assert data["state"] == "superseded"
    assert data["superseded_by"]["number"] == new.number
    successor = client.get(data["superseded_by"]["url"], **JSON).json()
    assert (successor["number"], successor["state"]) == (new.number, "active")
    assert data["superseded_by"]["url"] in client.get(qr_path(old)).content.decode()


def test_an_active_permit_past_its_end_date_shows_expired(django_capture_on_commit_callbacks,
                                                         client):
    permit = issued(django_capture_on_commit_callbacks)
    Permit.objects.filter(pk=permit.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1))
    assert client.get(qr_path(permit), **JSON).json()["state"] == "expired"


def test_a_wrong_or_missing_code_is_a_404_like_an_unknown_number(
        django_capture_on_commit_callbacks, client):
    permit = issued(django_capture_on_commit_callbacks)
    base = f"/verify/{permit.number}/"
    unknown = client.get(f"/verify/999/NOPE/2026/?c={permit.verification_code}")
    assert unknown.status_code == 404
    for address in (base, f"{base}?c=", f"{base}?c=guess{permit.verification_code[5:]}"):
        response = client.get(address, **JSON)
        assert response.status_code == 404
        assert permit.holder.legal_name not in response.content.decode()


def test_the_office_s_own_file_is_recognised(django_capture_on_commit_callbacks, client):
    permit = issued(django_capture_on_commit_callbacks)
    response = upload(client, permit, stored_pdf(permit))
    assert response.status_code == 200
    check = response.context["check"]
    assert (check.identical, check.signed, check.signature_holds) == (True, True, True)
    assert check.sha256 == permit.sha256


def test_one_changed_byte_is_neither_identical_nor_validly_signed(
        django_capture_on_commit_callbacks, client):
    permit = issued(django_capture_on_commit_callbacks)
    changed = bytearray(stored_pdf(permit))
    changed[len(changed) // 4] ^= 0x01
    check = upload(client, permit, bytes(changed)).context["check"]
    assert (check.identical, check.signature_holds) == (False, False)


def test_another_permit_s_signed_file_is_not_this_permit(django_capture_on_commit_callbacks,
                                                         client):
    permit = issued(django_capture_on_commit_callbacks)
    other = issued(django_capture_on_commit_callbacks)
    client.cookies["django_language"] = "en"
    response = upload(client, permit, stored_pdf(other))
    check = response.context["check"]
    assert (check.identical, check.signature_holds) == (False, True)
    assert "it is not this permit's document" in response.content.decode()


def test_a_foreign_unsigned_pdf_gets_a_clear_answer(django_capture_on_commit_callbacks, client):
    permit = issued(django_capture_on_commit_callbacks)
    foreign = rendering.html_to_pdf("<p>Surat izin palsu</p>")
    client.cookies["django_language"] = "en"
    response = upload(client, permit, foreign)
    check = response.context["check"]
    assert (check.identical, check.signed, check.signature_holds) == (False, False, False)
    assert "it carries no electronic signature" in response.content.decode()


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\nnot really", b"hello", b""])
def test_what_is_not_a_pdf_is_refused(django_capture_on_commit_callbacks, client, content):
    permit = issued(django_capture_on_commit_callbacks)
    response = client.post(qr_path(permit), {"file": SimpleUploadedFile("x.pdf", content)}
                           if content else {})
    assert response.status_code == 400
    assert response.context["check"] is None and response.context["refused"]


def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(
        django_capture_on_commit_callbacks, client, settings):
    permit = issued(django_capture_on_commit_callbacks)
    pdf = stored_pdf(permit)
    settings.VERIFY_UPLOAD_MAX_BYTES = len(pdf) - 1
    stored_before = sorted(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*"))
    response = upload(client, permit, pdf)
    assert response.status_code == 400
    assert response.context["check"] is None
    settings.VERIFY_UPLOAD_MAX_BYTES = len(pdf)
    assert upload(client, permit, pdf).context["check"].identical
    assert sorted(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*")) == stored_before


def test_the_revoked_list_names_withdrawn_permits_only(django_capture_on_commit_callbacks, client):
    permits = {state: issued(django_capture_on_commit_callbacks)
               for state in ("active", "suspended", "revoked", "expired", "superseded")}
    for state, permit in permits.items():
        set_state(permit, state, **({"superseded_by": permits["active"]}
                                    if state == "superseded" else {}))
    data = client.get("/verify/revoked.json").json()
    assert data["revoked"] == [permits["revoked"].number]
    assert data["suspended"] == [permits["suspended"].number]
    assert data["superseded"] == [permits["superseded"].number]
    listed = str(data)
    assert permits["active"].number not in listed and permits["expired"].number not in listed


def test_a_permit_signed_with_the_office_s_pkcs12_is_recognised_without_the_development_ca(
        django_capture_on_commit_callbacks, client, settings, signing_dir, tmp_path):
    """Production signs with a PKCS#12 file; the public check trusts the CA inside it."""
    from cryptography.hazmat.primitives.serialization import (
        BestAvailableEncryption,
        load_pem_private_key,
        pkcs12,
    )
    from cryptography.x509 import load_pem_x509_certificate

    from documents import dev_ca

    def pem(name):
        return (signing_dir / name).read_bytes()

    office = tmp_path / "office.p12"
    office.write_bytes(pkcs12.serialize_key_and_certificates(
        b"office", load_pem_private_key(pem(dev_ca.SIGNER_KEY), None),
        load_pem_x509_certificate(pem(dev_ca.SIGNER_CERT)),
        [load_pem_x509_certificate(pem(dev_ca.CA_CERT))], BestAvailableEncryption(b"s3cret")))
    settings.SIGNING_PKCS12_PATH, settings.SIGNING_PKCS12_PASSPHRASE = str(office), "s3cret"
    settings.VERIFY_TOKEN_KEY_PATH = str(signing_dir / dev_ca.TOKEN_KEY)
    settings.SIGNING_DEV_DIR = str(tmp_path / "no-development-ca")

    permit = issued(django_capture_on_commit_callbacks)
    check = upload(client, permit, stored_pdf(permit)).context["check"]
    assert (check.identical, check.signed, check.signature_holds) == (True, True, True)


def test_a_signature_is_checked_from_a_thread_that_runs_an_event_loop(
        django_capture_on_commit_callbacks):
    """An async server, or a test that drives a browser, runs an event loop in the thread that
    asks; pyHanko's own loop must not collide with it."""
    import asyncio

    from documents.validation import validate_pdf
    from tests.documents.permits import issued

    permit = issued(django_capture_on_commit_callbacks)
    content = permit.file.read()

    async def inside_a_loop():
        return validate_pdf(content)

    [report] = asyncio.run(inside_a_loop())
    assert report.holds

"""The offline token in the QR code, the published key, and the rate limits of public pages."""

import base64
import hashlib
import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from documents import dev_ca, rendering
from documents.context import permit_content, permit_context, qr_url
from documents.offline_token import TokenInvalid, _decode, offline_verify
from documents.qr import qr_svg
from documents.throttle import WINDOW_SECONDS, allow
from tests.documents.permits import issued

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def qr_query(permit) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(qr_url(permit)).query)
            .items()}


def published_key(client):
    response = client.get("/verify/keys/ed25519.pub")
    assert response.status_code == 200
    return load_pem_public_key(response.content)


def test_the_qr_token_verifies_offline_with_the_published_key(
        django_capture_on_commit_callbacks, client):
    permit = issued(django_capture_on_commit_callbacks)
    claims = offline_verify(qr_query(permit)["t"], published_key(client))
    content = json.dumps(permit_content(permit), sort_keys=True, ensure_ascii=False).encode()
    assert claims == {
        "v": 1, "n": permit.number, "b": permit.holder.nib,
        "f": permit.valid_from.isoformat(), "u": permit.valid_until.isoformat(),
        "h": claims["h"],
    }
    assert _decode(claims["h"]) == hashlib.sha256(content).digest()


def test_the_permit_s_qr_carries_the_token_and_its_text_the_short_address(
        django_capture_on_commit_callbacks):
    permit = issued(django_capture_on_commit_callbacks)
    context = permit_context(permit)
    html = rendering.permit_html(context)
    assert context["qr_url"] == f"{context['verification_url']}&t={qr_query(permit)['t']}"
    assert qr_svg(context["qr_url"]) in html
    assert context["verification_url"] in html and qr_query(permit)["t"] not in html


def test_a_tampered_token_is_refused(django_capture_on_commit_callbacks, client):
    permit = issued(django_capture_on_commit_callbacks)
    token = qr_query(permit)["t"]
    payload, signature = token.split(".")
    forged = _decode(payload).replace(permit.holder.nib.encode(), b"9" * len(permit.holder.nib))
    forged_part = base64.urlsafe_b64encode(forged).rstrip(b"=").decode()
    key = published_key(client)
    for bad in (f"{forged_part}.{signature}", token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
                "not-a-token", ""):
        with pytest.raises(TokenInvalid):
            offline_verify(bad, key)


def test_a_token_checked_with_another_key_is_refused(django_capture_on_commit_callbacks):
    permit = issued(django_capture_on_commit_callbacks)
    with pytest.raises(TokenInvalid):
        offline_verify(qr_query(permit)["t"], Ed25519PrivateKey.generate().public_key())


def test_lookups_are_limited_per_client(django_capture_on_commit_callbacks, client, settings):
    permit = issued(django_capture_on_commit_callbacks)
    settings.VERIFY_RATE_LIMITS = {"lookup": 2, "upload": 1}
    address = f"/verify/{permit.number}/?c={permit.verification_code}"
    assert [client.get(address).status_code for _ in range(2)] == [200, 200]
    client.cookies["django_language"] = "en"
    refused = client.get("/verify/revoked.json")
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(WINDOW_SECONDS)
    assert "Too many requests from your address" in refused.content.decode()
    assert client.get(address, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_uploads_have_their_own_smaller_limit(django_capture_on_commit_callbacks, client,
                                              settings):
    permit = issued(django_capture_on_commit_callbacks)
    settings.VERIFY_RATE_LIMITS = {"lookup": 5, "upload": 1}
    address = f"/verify/{permit.number}/?c={permit.verification_code}"

    def post():
        return client.post(address, {"file": SimpleUploadedFile("a.pdf", b"hello")})

    assert post().status_code == 400  # counted, and refused as not a PDF
    assert post().status_code == 429
    assert client.get(address).status_code == 200


def test_the_limit_opens_again_in_the_next_minute():
    start = 1_000 * WINDOW_SECONDS
    assert allow(bucket="lookup", client="10.0.0.9", limit=1, now=start)
    assert not allow(bucket="lookup", client="10.0.0.9", limit=1, now=start + WINDOW_SECONDS - 1)
    assert allow(bucket="lookup", client="10.0.0.9", limit=1, now=start + WINDOW_SECONDS)


def test_signing_init_adds_the_token_key_to_an_older_folder(tmp_path, settings):
    folder = tmp_path / "older"
    dev_ca.create(folder, organization="Test")
    ca_before = (folder / dev_ca.CA_CERT).read_bytes()
    settings.SIGNING_DEV_DIR = str(folder)
    call_command("signing_init", stdout=io.StringIO())
    assert (folder / dev_ca.TOKEN_KEY).read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert (folder / dev_ca.CA_CERT).read_bytes() == ca_before

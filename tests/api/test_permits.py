"""Agencies look a permit up by its number, download the signed PDF and check a PDF someone
shows them."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.documents.permits import issued
from tests.lifecycle import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_look_up_download_and_check(api_caller, django_capture_on_commit_callbacks):
    permit = issued(django_capture_on_commit_callbacks)
    caller = api_caller("permits")
    base = f"/api/v1/permits/{permit.number}/"

    found = caller.get(base)
    assert found.status_code == 200
    assert found.json()["number"] == permit.number
    assert found.json()["valid"] is True
    assert found.json()["holder"]["nib"] == permit.holder.nib

    pdf = caller.get(base + "pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)
    assert hashlib.sha256(content).hexdigest() == permit.sha256 == found.json()["sha256"]

    genuine = caller.post(base + "check/", {"file": SimpleUploadedFile(
        "izin.pdf", content, "application/pdf")}, multipart=True)
    assert genuine.status_code == 200, genuine.content
    assert genuine.json() == {"sha256": permit.sha256, "identical": True, "signed": True,
                              "signature_holds": True}
    forged = caller.post(base + "check/", {"file": SimpleUploadedFile(
        "izin.pdf", pdf_bytes("forged"), "application/pdf")}, multipart=True)
    assert forged.json()["identical"] is False
    assert forged.json()["signature_holds"] is False

    assert caller.get("/api/v1/permits/503/NOPE/2026/").status_code == 404
    assert api_caller("catalogue").get(base).status_code == 403

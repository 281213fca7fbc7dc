"""Uploads and downloads over HTTP: bad files are refused with a clear message and leave nothing
behind, good ones are stored privately with their SHA-256 and come back only as attachments."""

import hashlib
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Attachment
from licensing.states import ApplicationState as S
from tests.factories import PermitTypeFactory, RequiredDocumentFactory
from tests.lifecycle import draft, pdf_bytes, png_bytes
from tests.portal import in_english, multipart, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    in_english(client)


@pytest.fixture
def setting(client):
    permit_type = PermitTypeFactory()
    requirement = RequiredDocumentFactory(permit_type=permit_type, name_en="Site plan",
                                          accepted_formats=["pdf"], max_size_kb=4)
    application, owner = draft(permit_type=permit_type)
    client.force_login(owner)
    url = reverse("attachment_upload", args=[application.pk, requirement.pk])
    return application, requirement, url


def _files_under(root) -> list[Path]:
    return [Path(folder, name) for folder, _dirs, names in os.walk(root) for name in names]


def test_a_good_upload_is_stored_privately_with_its_checksum(client, setting):
    _application, _requirement, url = setting
    content = pdf_bytes("denah")
    response = post(client, url, {"file": SimpleUploadedFile("Denah Lokasi.pdf", content)},
                    follow=True)
    assert "Site plan: version 1 is stored." in response.content.decode()
    attachment = Attachment.objects.get()
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert (attachment.original_name, attachment.file_format, attachment.version) == (
        "Denah Lokasi.pdf", "pdf", 1
    )
    # By its stored name, not FieldFile.path: object storage has no path (test_private_storage_s3).
    stored = Path(settings.PRIVATE_MEDIA_ROOT, attachment.file.name).resolve()
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert "Denah" not in stored.name  # on disk a file is named by a random id
    assert stored.read_bytes() == content


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200
PNG_WITH_GARBAGE = b"\x89PNG\r\n\x1a\n" + os.urandom(300)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.pdf", b"", "The file is empty."),
        ("x.pdf", ELF, "This file is not a real PDF, JPEG or PNG document."),
        ("x.pdf", MZ, "This file is not a real PDF, JPEG or PNG document."),
        ("big.pdf", pdf_bytes("x" * 6000), "The file is 6 KB; the limit is 4 KB."),
        ("photo.png", png_bytes(), "A PNG file is not accepted here. Accepted: PDF."),
        ("x.pdf", PNG_WITH_GARBAGE, "This file is not a real PDF, JPEG or PNG document."),
    ],
    ids=["empty", "elf-named-pdf", "mz-named-pdf", "oversized", "wrong-format", "png-garbage"],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(client, setting, name, content, message):
    _application, _requirement, url = setting
    response = post(client, url, {"file": SimpleUploadedFile(name, content)}, follow=True)
    text = response.content.decode()
    assert "Site plan was not stored:" in text
    assert message in text
    assert not Attachment.objects.exists()
    assert _files_under(settings.PRIVATE_MEDIA_ROOT) == []


def test_an_upload_without_a_file_is_refused(client, setting):
    _application, _requirement, url = setting
    response = post(client, url, {}, follow=True)
    assert "Choose a file to upload for Site plan." in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\windows\\evil.pdf", "/etc/cron.d/x.pdf",
             "a/../../b.pdf"],
)
def test_path_tricks_in_an_http_upload_store_nothing_outside_the_private_root(client, setting,
                                                                             tmp_path, name):
    application, _requirement, url = setting
    body, content_type = multipart({"form_token": f"t-{name}"}, file_field="file",
                                   filename=name, content=pdf_bytes())
    response = client.post(url, body, content_type=content_type)
    assert response.status_code == 302
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    outside = [path for path in _files_under(tmp_path) if not path.resolve().is_relative_to(root)]
    assert outside == []
    for attachment in Attachment.objects.filter(application=application):
        assert Path(root, attachment.file.name).resolve().is_relative_to(root)
        assert "/" not in attachment.original_name and "\\" not in attachment.original_name


def test_documents_cannot_change_after_submission(client, setting):
    application, _requirement, url = setting
    post(client, url, {"file": SimpleUploadedFile("a.pdf", pdf_bytes())})
    post(client, reverse("application_submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == S.APPROVED
    response = post(client, url, {"file": SimpleUploadedFile("b.pdf", pdf_bytes("b"))},
                    follow=True)
    assert "Documents can no longer be changed" in response.content.decode()
    assert Attachment.objects.count() == 1


def test_new_versions_keep_the_earlier_ones(client, setting):
    _application, _requirement, url = setting
    post(client, url, {"file": SimpleUploadedFile("v1.pdf", pdf_bytes("1"))})
    post(client, url, {"file": SimpleUploadedFile("v2.pdf", pdf_bytes("2"))})
    versions = list(Attachment.objects.order_by("version").values_list("version",
                                                                        "original_name"))
    assert versions == [(1, "v1.pdf"), (2, "v2.pdf")]
    assert len(_files_under(settings.PRIVATE_MEDIA_ROOT)) == 2


def test_download_is_an_attachment_with_the_right_type_and_nosniff(client, setting):
    _application, _requirement, url = setting
    content = pdf_bytes("unduh")
    post(client, url, {"file": SimpleUploadedFile("Surat Izin.pdf", content)})
    attachment = Attachment.objects.get()
    response = client.get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Surat Izin.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == content


def test_a_stored_file_has_no_public_url(client, setting):
    _application, _requirement, url = setting
    post(client, url, {"file": SimpleUploadedFile("a.pdf", pdf_bytes())})
    attachment = Attachment.objects.get()
    with pytest.raises(ValueError, match="not accessible via a URL"):
        _ = attachment.file.url
    for guess in (f"/{attachment.file.name}", f"/media/{attachment.file.name}"):
        assert client.get(guess).status_code == 404
    client.logout()
    download = reverse("attachment_download", args=[attachment.pk])
    assert client.get(download)["Location"].startswith(reverse("login"))

"""The public "is this PDF genuine?" upload: a file larger than the limit is refused from its
declared size, before its bytes are read, and no upload is ever read past the limit."""

import io

import pytest
from django.conf import global_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from config.body_limit import MULTIPART_SLACK_BYTES
from documents import verification
from documents.uploads import UploadRefused
from tests.documents.permits import issued
from tests.documents.test_verification import qr_path

pytestmark = pytest.mark.django_db

FORTY_MB = 40 * 1024 * 1024


class CountingStream(io.RawIOBase):
    """A request body that never ends (as a client streaming 40 MB would look) and counts every
    byte anyone reads from it."""

    def __init__(self):
        self.bytes_read = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = b"x" * len(buffer)
        self.bytes_read += len(buffer)
        return len(buffer)


def test_forty_megabytes_are_refused_without_reading_a_byte(django_capture_on_commit_callbacks,
                                                            client):
    permit = issued(django_capture_on_commit_callbacks)
    body = CountingStream()
    response = client.generic(
        "POST", qr_path(permit), content_type="multipart/form-data; boundary=izin",
        **{"wsgi.input": body, "CONTENT_LENGTH": str(FORTY_MB)},
    )
    assert response.status_code == 413
    assert "10 MB" in response.content.decode()
    assert body.bytes_read == 0


def test_a_body_within_the_limit_reaches_the_page(django_capture_on_commit_callbacks, client):
    permit = issued(django_capture_on_commit_callbacks)
    response = client.post(qr_path(permit), {"file": SimpleUploadedFile("izin.pdf", b"%PDF-")})
    assert response.status_code == 400  # the page's own answer: not a PDF
    assert response.context["refused"]


def test_a_file_just_over_the_limit_is_refused_by_its_size(django_capture_on_commit_callbacks,
                                                           client, settings):
    """Within the multipart slack the middleware lets it through; the page refuses it by the
    upload's size, and says why."""
    settings.VERIFY_UPLOAD_MAX_BYTES = 1024 * 1024
    permit = issued(django_capture_on_commit_callbacks)
    content = b"%PDF-" + b"0" * (1024 * 1024 + MULTIPART_SLACK_BYTES // 2)
    response = client.post(qr_path(permit), {"file": SimpleUploadedFile("izin.pdf", content)})
    assert response.status_code == 400
    assert "1 MB" in str(response.context["refused"])


class CountingUpload(io.BytesIO):
    """An uploaded file that counts what is read from it."""

    def __init__(self, content: bytes, *, size: int | None = None):
        super().__init__(content)
        self.size = len(content) if size is None else size
        self.bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_an_upload_declaring_more_than_the_limit_is_not_read(settings):
    settings.VERIFY_UPLOAD_MAX_BYTES = 1000
    upload = CountingUpload(b"x" * 10, size=FORTY_MB)
    with pytest.raises(UploadRefused):
        verification.upload_read(upload)
    assert upload.bytes_read == 0


def test_an_upload_is_never_read_past_the_limit_plus_one_byte(settings):
    """An upload whose declared size is wrong (smaller than its bytes) still stops there."""
    settings.VERIFY_UPLOAD_MAX_BYTES = 1000
    upload = CountingUpload(b"x" * 5000, size=10)
    content = verification.upload_read(upload)
    assert len(content) == upload.bytes_read == 1001


def test_form_data_in_memory_is_back_to_djangos_default(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == global_settings.DATA_UPLOAD_MAX_MEMORY_SIZE

"""An image that declares more pixels than may be decoded (a few kilobytes of PNG can say
30000 × 30000) is refused as a bad upload from its header, never decoded, never a 500."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Attachment
from documents.uploads import MAX_IMAGE_PIXELS, UploadRefused, check_upload
from tests.factories import PermitTypeFactory, RequiredDocumentFactory
from tests.lifecycle import draft, png_bytes
from tests.portal import in_english, post


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_declaring(width: int, height: int) -> bytes:
    """A valid PNG header and a tiny compressed stream: the declared size is what matters."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + _chunk(b"IEND", b""))


@pytest.mark.parametrize("size", [(30_000, 30_000), (10_000, 10_000)])
def test_an_image_declaring_too_many_pixels_is_refused(size):
    """Above twice Pillow's limit it raises an error, just above it only warns: both refused."""
    bomb = png_declaring(*size)
    assert len(bomb) < 2048
    with pytest.raises(UploadRefused, match="too many pixels"):
        check_upload(name="foto.png", content=bomb, accepted_formats=["png"],
                     max_bytes=1024 * 1024)


def test_an_ordinary_photo_passes():
    assert check_upload(name="foto.png", content=png_bytes((640, 480)), accepted_formats=["png"],
                        max_bytes=1024 * 1024) == "png"
    assert 640 * 480 < MAX_IMAGE_PIXELS


@pytest.mark.django_db
def test_the_upload_page_says_so_and_stores_nothing(client):
    permit_type = PermitTypeFactory()
    requirement = RequiredDocumentFactory(permit_type=permit_type, name_en="Site photo",
                                          accepted_formats=["png"], max_size_kb=1024)
    application, owner = draft(permit_type=permit_type)
    client.force_login(owner)
    response = post(in_english(client),
                    reverse("attachment_upload", args=[application.pk, requirement.pk]),
                    {"file": SimpleUploadedFile("foto.png", png_declaring(30_000, 30_000))},
                    follow=True)
    assert response.status_code == 200
    assert "Site photo was not stored: The image has too many pixels" in (
        response.content.decode())
    assert not Attachment.objects.exists()

"""Driving the portal over HTTP as a browser would: forms carry their one-time token, pages are
read in English (so assertions on wording hold once the Indonesian catalogue is filled in)."""

from django.conf import settings

from licensing.once import FIELD, new_token
from tests.factories import FormFieldFactory, PermitTypeFactory, RequiredDocumentFactory


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post(client, url, data=None, *, token=None, **extra):
    """POST a form with its one-time token (a fresh one unless ``token`` is given)."""
    return client.post(url, {FIELD: token or new_token(), **(data or {})}, **extra)


def permit_type_with_form(**kwargs):
    """A permit type with one document, and one question of every kind."""
    permit_type = PermitTypeFactory(**kwargs)
    RequiredDocumentFactory(permit_type=permit_type, name_id="Surat permohonan",
                            name_en="Application letter", accepted_formats=["pdf"])
    FormFieldFactory(permit_type=permit_type, key="activity", label_en="Activity", kind="text")
    FormFieldFactory(permit_type=permit_type, key="floor_area", label_en="Floor area",
                     kind="number", unit="m²", min_value=1, max_value=10000)
    FormFieldFactory(permit_type=permit_type, key="opening_date", label_en="Opening date",
                     kind="date")
    FormFieldFactory(
        permit_type=permit_type, key="building_use", label_en="Building use", kind="choice",
        choices=[{"value": "shop", "label_id": "Toko", "label_en": "Shop"},
                 {"value": "house", "label_id": "Rumah", "label_en": "House"}],
    )
    FormFieldFactory(permit_type=permit_type, key="site", label_en="Site address",
                     kind="address", required=False)
    return permit_type


COMPLETE_ANSWERS = {
    "activity": "Rumah makan",
    "floor_area": "120.5",
    "opening_date": "2026-09-01",
    "building_use": "shop",
}


def multipart(fields: dict, *, file_field: str, filename: str, content: bytes,
              content_type: str = "application/pdf") -> tuple[bytes, str]:
    """A raw multipart body, for names the test client would otherwise clean up on its own."""
    boundary = "izinBoundary7MA4YWxk"
    lines = []
    for name, value in fields.items():
        lines += [f"--{boundary}".encode(),
                  f'Content-Disposition: form-data; name="{name}"'.encode(), b"",
                  str(value).encode()]
    lines += [f"--{boundary}".encode(),
              f'Content-Disposition: form-data; name="{file_field}"; filename="{filename}"'
              .encode(),
              f"Content-Type: {content_type}".encode(), b"", content,
              f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"

"""Step one of a PDF: everything the permit shows, as a plain dict (no models in templates)."""

from urllib.parse import urlencode

from django.conf import settings
from django.utils import formats, translation

from licensing.answers import answer_display
from licensing.models import Kecamatan, Permit

LANGUAGES = ("id", "en")


def _date_both(value) -> dict[str, str] | None:
    if value is None:
        return None
    dates = {}
    for language in LANGUAGES:
        with translation.override(language):
            dates[language] = formats.date_format(value, "j F Y")
    return dates


def verification_url(permit: Permit) -> str:
    """The address in the QR code (the verification page answers it)."""
    query = urlencode({"c": permit.verification_code})
    return f"{settings.SITE_URL.rstrip('/')}/verify/{permit.number}/?{query}"


def permit_context(permit: Permit) -> dict:
    application = permit.application
    holder = permit.holder
    permit_type = permit.permit_type
    with translation.override("id"):
        answers = [
            {"label_id": field.label_id, "label_en": field.label_en,
             "value": answer_display(field, application.answers.get(field.key))}
            for field in permit_type.form_fields.all()
            if application.answers.get(field.key) not in (None, "", {})
        ]
    return {
        "issuer": dict(settings.PERMIT_ISSUER),
        "number": permit.number,
        "permit_type": {"code": permit_type.code, "name_id": permit_type.name_id,
                        "name_en": permit_type.name_en},
        "application_reference": application.reference,
        "holder": {
            "name": holder.legal_name,
            "nib": holder.nib,
            "address": ", ".join([holder.street_address, holder.kelurahan,
                                  Kecamatan(holder.kecamatan).label]),
            "kbli": list(holder.kbli_codes),
        },
        "activity": answers,
        "conditions": [text for text in permit.conditions.split("\n\n") if text.strip()],
        "valid_from": _date_both(permit.valid_from),
        "valid_until": _date_both(permit.valid_until),
        "issued_on": _date_both(permit.valid_from),
        "signer": {"name": permit.signer.name, "title": permit.signer.title,
                   "nip": permit.signer.nip},
        "verification_url": verification_url(permit),
    }

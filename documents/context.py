"""Step one of a PDF: everything a document shows (the permit, the SKRD, the payment receipt),
as a plain dict (no models in templates)."""

import hashlib
import json
from urllib.parse import urlencode

from django.conf import settings
from django.utils import formats, timezone, translation

from documents.offline_token import digest_encode, private_key, token_sign
from licensing.answers import answer_display
from licensing.formats import rupiah
from licensing.models import Kecamatan, Permit
from payments.models import Invoice, Payment
from payments.states import PaymentMethod

LANGUAGES = ("id", "en")


def _date_both(value) -> dict[str, str] | None:
    if value is None:
        return None
    dates = {}
    for language in LANGUAGES:
        with translation.override(language):
            dates[language] = formats.date_format(value, "j F Y")
    return dates


def _datetime_both(value) -> dict[str, str] | None:
    """A moment as the office's clock shows it (Western Indonesia Time)."""
    if value is None:
        return None
    local = timezone.localtime(value)
    dates = _date_both(local.date())
    return {language: f"{dates[language]}, {local:%H.%M} WIB" for language in LANGUAGES}


def _label_both(label) -> dict[str, str]:
    """A translated choice label (a lazy string) in each language of the documents."""
    labels = {}
    for language in LANGUAGES:
        with translation.override(language):
            labels[language] = str(label)
    return labels


def offline_token(permit: Permit) -> str:
    """The signed claims an inspector's app checks offline (documents/offline_token.py)."""
    content = json.dumps(permit_content(permit), sort_keys=True, ensure_ascii=False).encode()
    return token_sign({
        "n": permit.number, "b": permit.holder.nib,
        "f": permit.valid_from.isoformat(),
        "u": permit.valid_until.isoformat() if permit.valid_until else None,
        "h": digest_encode(hashlib.sha256(content).digest()),
    }, private_key())


def verification_url(permit: Permit) -> str:
    """The verification page's address, printed for people to type."""
    query = urlencode({"c": permit.verification_code})
    return f"{settings.SITE_URL.rstrip('/')}/verify/{permit.number}/?{query}"


def qr_url(permit: Permit) -> str:
    """What the QR code carries: the page's address (``c``) and the offline token (``t``), so
    one code serves a phone online and an inspector's app offline."""
    return f"{verification_url(permit)}&{urlencode({'t': offline_token(permit)})}"


def permit_context(permit: Permit) -> dict:
    return {**permit_content(permit), "verification_url": verification_url(permit),
            "qr_url": qr_url(permit)}


def permit_content(permit: Permit) -> dict:
    """Everything the permit prints except its QR code (which carries a digest of this)."""
    application = permit.application
    holder = permit.holder
    permit_type = permit.permit_type
    answers = [_answer_both(field, application.answers.get(field.key))
               for field in permit_type.form_fields.all()
               if application.answers.get(field.key) not in (None, "", {})]
    content = {
        "issuer": dict(settings.PERMIT_ISSUER),
        "number": permit.number,
        "permit_type": {"code": permit_type.code, "name_id": permit_type.name_id,
                        "name_en": permit_type.name_en},
        "application_reference": application.reference,
        "holder": {
            "name": holder.legal_name,
            "nib": holder.nib,
            # A business OSS sent may not name its kelurahan or kecamatan yet.
            "address": ", ".join(part for part in [
                holder.street_address, holder.kelurahan,
                Kecamatan(holder.kecamatan).label if holder.kecamatan else ""] if part),
            "kbli": list(holder.kbli_codes),
        },
        "activity": answers,
        "conditions": [text for text in permit.conditions.split("\n\n") if text.strip()],
        "valid_from": _date_both(permit.valid_from),
        "valid_until": _date_both(permit.valid_until),
        "issued_on": _date_both(permit.valid_from),
        "signer": {"name": permit.signer.name, "title": permit.signer.title,
                   "nip": permit.signer.nip},
    }
    if application.approved_by_law:
        # Only then: the content of every other permit (and its offline digest) stays as it was.
        content["approved_by_law"] = {"basis": _approved_by_law_basis(application)}
    return content


def _answer_both(field, value) -> dict[str, str]:
    """An answer as both languages write it (units, dates, choices, figures). The English value
    is kept only where it differs, so that the content (and the QR's digest) of a permit whose
    answers read alike in both stays as it always was."""
    with translation.override("id"):
        row = {"label_id": field.label_id, "label_en": field.label_en,
               "value": answer_display(field, value)}
    with translation.override("en"):
        english = answer_display(field, value)
    if english != row["value"]:
        row["value_en"] = english
    return row


def _approved_by_law_basis(application) -> str:
    """The legal basis recorded when the law approved the application (its audit entry)."""
    entry = application.audit_entries.filter(transition="approve_by_law").order_by("pk").first()
    return entry.note if entry and entry.note else application.permit_type.approved_by_law_basis


def _business(invoice: Invoice) -> dict:
    business = invoice.application.business
    return {"name": business.legal_name, "nib": business.nib, "npwp": business.npwp}


def invoice_context(invoice: Invoice) -> dict:
    """The SKRD: who owes what for which application, and how to pay it by when."""
    application = invoice.application
    permit_type = application.permit_type
    lines = list(invoice.lines.all())
    return {
        "issuer": dict(settings.PERMIT_ISSUER),
        "number": invoice.number,
        "billing_code": invoice.billing_code,
        "state": invoice.state,
        "business": _business(invoice),
        "application_reference": application.reference,
        "permit_type": {"name_id": permit_type.name_id, "name_en": permit_type.name_en},
        "lines": [
            {"label_id": line.label_id, "label_en": line.label_en, "basis_id": line.basis_id,
             "basis_en": line.basis_en, "account_code": line.account_code,
             "amount": rupiah(line.amount)}
            for line in lines
        ],
        "total": rupiah(sum(line.amount for line in lines)),
        "issued_on": _date_both(timezone.localtime(invoice.issued_at).date()),
        "due_date": _date_both(invoice.due_date),
    }


def receipt_context(payment: Payment) -> dict:
    """The receipt of a payment the gateway confirmed: which bill, how much, how and when."""
    invoice = payment.invoice
    return {
        "issuer": dict(settings.PERMIT_ISSUER),
        "invoice_number": invoice.number,
        "billing_code": invoice.billing_code,
        "business": _business(invoice),
        "application_reference": invoice.application.reference,
        "amount": rupiah(payment.amount_received),
        "method": _label_both(PaymentMethod(payment.method).label),
        "paid_at": _datetime_both(invoice.paid_at or payment.succeeded_at),
    }

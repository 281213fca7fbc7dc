"""Issued permits of the demo business in every register state, made through the real services:
the application, its documents, submission, the signed PDF, and then the register's own moves."""

import io
from datetime import timedelta

from django.utils import timezone
from PIL import Image

from documents import issuance
from documents.services import attachment_upload
from licensing import permits, services
from licensing.models import Application, Business, Permit, PermitType, Purpose, User
from licensing.models.permits import P

HEAD_OF_OFFICE_EMAIL = "kepala@izin.test"

# One TDUP registration per state, found again by its venue's street.
DEMO_PERMITS = [
    (P.SUPERSEDED, "kafe", "Jl. Jenderal Sudirman No. 12"),
    (P.SUSPENDED, "homestay", "Jl. Ahmad Yani No. 7"),
    (P.REVOKED, "hiburan", "Jl. Tuanku Tambusai No. 30"),
    (P.EXPIRED, "jasa_perjalanan", "Jl. Diponegoro No. 4"),
]
REASONS = {
    P.SUSPENDED: "Pemeriksaan lapangan: izin lingkungan sedang ditinjau. "
                 "(Site inspection: the environmental clearance is under review.)",
    P.REVOKED: "Usaha tidak lagi beroperasi di alamat ini. "
               "(The business no longer operates at this address.)",
}


def _pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 140, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


class _Upload(io.BytesIO):
    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name, self.size = name, len(content)


def _issue(application: Application, owner: User) -> Permit:
    for requirement in application.permit_type.required_documents.all():
        content, name = (_pdf(), "dokumen.pdf")
        if "pdf" not in requirement.accepted_formats:
            content, name = (_png(), "foto.png")
        attachment_upload(application=application, requirement=requirement, actor=owner,
                          uploaded_file=_Upload(content, name))
    application = services.application_submit(application=application, actor=owner)
    return issuance.application_issue(application_id=application.pk)


def seed_permits(*, owner: User, business: Business, count) -> None:
    """``count(kind, created)`` tallies what was made; a second run makes nothing."""
    tdup = PermitType.objects.get(code="TDUP")
    head = User.objects.get(email=HEAD_OF_OFFICE_EMAIL)
    for state, kind, street in DEMO_PERMITS:
        created = not Application.objects.filter(
            business=business, purpose=Purpose.NEW, answers__venue__street=street).exists()
        count("permits", created)
        if not created:
            continue
        answers = {"tourism_kind": kind, "opening_date": "2026-01-05",
                   "venue": {"street": street, "kelurahan": "Sukaramai",
                             "kecamatan": "pekanbaru_kota"}}
        application = services.application_create(business=business, permit_type=tdup,
                                                   actor=owner, answers=answers)
        permit = _issue(application, owner)
        _bring_to(state, permit, owner=owner, head=head)


def _bring_to(state: str, permit: Permit, *, owner: User, head: User) -> None:
    if state == P.SUPERSEDED:
        # The café opened later than registered: the amended registration replaces it on issue.
        amendment = permits.permit_amend(permit=permit, actor=owner)
        services.application_update_answers(
            application=amendment, actor=owner,
            answers={**amendment.answers, "opening_date": "2026-03-02"},
        )
        _issue(amendment, owner)
    elif state == P.SUSPENDED:
        permits.permit_suspend(permit=permit, actor=head, reason=REASONS[state])
    elif state == P.REVOKED:
        permits.permit_revoke(permit=permit, actor=head, reason=REASONS[state])
    elif state == P.EXPIRED:
        # Time cannot be moved through a service: the demo's one shortcut dates this permit a
        # year back, then the real expiry run ends it.
        today = timezone.localdate()
        Permit.objects.filter(pk=permit.pk).update(valid_from=today - timedelta(days=366),
                                                   valid_until=today - timedelta(days=1))
        permits.permit_expire_due()

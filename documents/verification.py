"""Public verification of permits: what the register says about one, and whether an uploaded PDF
is the document the office issued. Nothing here writes."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.uploads import UploadRefused, sniff_format
from documents.validation import trust_roots, validate_pdf
from licensing.models import Permit, PermitState

# Numbers an offline app must not accept although the token's signature holds. Expiry it sees
# in the token itself.
WITHDRAWN_STATES = (PermitState.REVOKED, PermitState.SUSPENDED, PermitState.SUPERSEDED)


def permit_get_for_verification(*, number: str, code: str) -> Permit:
    """The permit, only with its code: ``Permit.DoesNotExist`` tells nothing about the number.
    A permit still being issued (no signed file yet) does not exist for the public."""
    if not code:
        raise Permit.DoesNotExist
    return (Permit.objects.select_related("holder", "permit_type", "superseded_by")
            .exclude(file="").get(number=number, verification_code=code))


def permit_public_state(permit: Permit, *, today=None) -> str:
    """The register's state, and "expired" from the end date on even before the nightly task."""
    today = today or timezone.localdate()
    if permit.state == PermitState.ACTIVE and permit.valid_until and permit.valid_until < today:
        return PermitState.EXPIRED
    return PermitState(permit.state)


def verification_path(permit: Permit) -> str:
    return f"{reverse('verify_permit', args=[permit.number])}?c={permit.verification_code}"


def permit_verification(permit: Permit) -> dict:
    """What the public sees about a permit, as plain data for the page and for JSON."""
    state = permit_public_state(permit)
    successor = permit.superseded_by if state == PermitState.SUPERSEDED else None
    return {
        "number": permit.number,
        "state": state.value,
        "state_label": str(state.label),
        "valid": state == PermitState.ACTIVE,
        "holder": {"name": permit.holder.legal_name, "nib": permit.holder.nib},
        "permit_type": {"code": permit.permit_type.code, "name": permit.permit_type.name},
        "valid_from": permit.valid_from.isoformat(),
        "valid_until": permit.valid_until.isoformat() if permit.valid_until else None,
        "sha256": permit.sha256,
        "superseded_by": {"number": successor.number, "url": verification_path(successor)}
        if successor else None,
    }


@dataclass(frozen=True)
class UploadCheck:
    sha256: str
    identical: bool  # byte for byte the PDF the office stored for this permit
    signed: bool  # carries at least one signature
    signature_holds: bool  # every signature intact, valid, trusted, and no later changes


def _too_large() -> UploadRefused:
    return UploadRefused(_("The file is larger than %(limit)s MB; a permit is far smaller.")
                         % {"limit": settings.VERIFY_UPLOAD_MAX_BYTES // (1024 * 1024)})


def upload_read(uploaded) -> bytes:
    """The uploaded file's bytes, refused on its declared size before any is read, and never
    more than the limit plus one byte read (enough to tell it is too large)."""
    if uploaded is None:
        return b""
    limit = settings.VERIFY_UPLOAD_MAX_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise _too_large()
    uploaded.seek(0)
    return uploaded.read(limit + 1)


def permit_pdf_check(*, permit: Permit, content: bytes) -> UploadCheck:
    """Compare an uploaded PDF with the permit's; raises ``UploadRefused`` for what is not one."""
    if not content:
        raise UploadRefused(_("The file is empty."))
    if len(content) > settings.VERIFY_UPLOAD_MAX_BYTES:
        raise _too_large()
    if sniff_format(content) != "pdf":
        raise UploadRefused(_("This file is not a PDF. Upload the permit's PDF file."))
    digest = hashlib.sha256(content).hexdigest()
    # Outside the catch-all below: a trust store that cannot be read is the office's fault and
    # must fail loudly, not tell the public that a genuine permit is unsigned.
    roots = trust_roots()
    try:
        reports = validate_pdf(content, roots=roots)
    except Exception:  # anyone's bytes: any parser failure means "no valid signature"
        reports = []
    return UploadCheck(
        sha256=digest, identical=digest == permit.sha256, signed=bool(reports),
        signature_holds=bool(reports) and all(report.holds for report in reports),
    )


def revocation_list() -> dict:
    """Permit numbers an offline app must refuse, by state."""
    withdrawn = {state.value: [] for state in WITHDRAWN_STATES}
    rows = (Permit.objects.filter(state__in=WITHDRAWN_STATES).exclude(file="")
            .order_by("number").values_list("state", "number"))
    for state, number in rows:
        withdrawn[state].append(number)
    return {"generated_at": timezone.now().isoformat(), **withdrawn}

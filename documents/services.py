"""Storing uploaded evidence (checked, hashed, versioned, never overwritten) and making the
office's signed documents."""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from documents import rendering
from documents.context import permit_context
from documents.models import Attachment
from documents.signing import sign_pdf
from documents.uploads import FORMAT_EXTENSION, UploadRefused, check_upload
from licensing import rules
from licensing.models import Application, RequiredDocument
from licensing.states import ApplicationState as S
from workflows.machine import TransitionRefused
from workflows.services import task_lock_for_inspection

logger = logging.getLogger("izin.documents")

PHOTO_FORMATS = ["jpeg", "png"]
PHOTO_MAX_BYTES = 10 * 1024 * 1024


def _read(uploaded_file, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes: enough to tell a file is too large."""
    uploaded_file.seek(0)
    return uploaded_file.read(limit + 1)


def _store(*, application, requirement, review_task, actor, uploaded_file, accepted, max_bytes,
           version: int) -> Attachment:
    content = _read(uploaded_file, max_bytes)
    # Only the first bytes past the limit are read; the refusal states the file's real size.
    kind = check_upload(name=uploaded_file.name, content=content, accepted_formats=accepted,
                        max_bytes=max_bytes, size=getattr(uploaded_file, "size", None))
    attachment = Attachment(
        application=application, requirement=requirement, review_task=review_task,
        version=version, original_name=uploaded_file.name, file_format=kind,
        size=len(content), sha256=hashlib.sha256(content).hexdigest(), uploaded_by=actor,
    )
    attachment.file.save(FORMAT_EXTENSION[kind], ContentFile(content), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    logger.info("attachment_stored attachment_id=%s application_id=%s format=%s",
                attachment.pk, application.pk, kind)
    return attachment


@transaction.atomic
def attachment_upload(*, application: Application, requirement: RequiredDocument, actor,
                      uploaded_file) -> Attachment:
    """Add a new version of a required document. Earlier versions stay."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not rules.may_act_as_applicant(application, actor):
        raise TransitionRefused(_("You may not do this."), code="permission_denied")
    if application.state not in (S.DRAFT, S.CHANGES_REQUESTED):
        raise UploadRefused(_("Documents can no longer be changed for this application."))
    if requirement.permit_type_id != application.permit_type_id:
        raise UploadRefused(_("This document is not required for this permit type."))
    latest = application.attachments.filter(requirement=requirement).aggregate(v=Max("version"))
    return _store(
        application=application, requirement=requirement, review_task=None, actor=actor,
        uploaded_file=uploaded_file, accepted=requirement.accepted_formats,
        max_bytes=requirement.max_size_kb * 1024, version=(latest["v"] or 0) + 1,
    )


@transaction.atomic
def inspection_photo_upload(*, task, actor, uploaded_file) -> Attachment:
    """A photo for a site inspection the actor may work on now (pending, not claimed by someone
    else, four-eyes rules kept): a decided inspection's evidence does not change."""
    task = task_lock_for_inspection(task=task, actor=actor)
    return _store(
        application=task.application, requirement=None, review_task=task, actor=actor,
        uploaded_file=uploaded_file, accepted=PHOTO_FORMATS, max_bytes=PHOTO_MAX_BYTES, version=1,
    )


# Permits: context → HTML → PDF → signature. The caller stores the result.


@dataclass(frozen=True)
class SignedDocument:
    pdf: bytes
    sha256: str
    template_version: str


def permit_document_build(*, permit) -> SignedDocument:
    """The permit's signed PDF. Raises ``SigningUnavailable`` rather than return it unsigned."""
    html = rendering.permit_html(permit_context(permit))
    pdf = sign_pdf(rendering.html_to_pdf(html),
                   reason=f"Izin {permit.number}", location=settings.PERMIT_ISSUER["place"])
    logger.info("permit_document_signed permit_id=%s", permit.pk)
    return SignedDocument(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(),
                          template_version=rendering.PERMIT_TEMPLATE_VERSION)

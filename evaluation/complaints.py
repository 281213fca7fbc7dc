"""Complaints (pengaduan): filed by a business about one of its applications, or by anyone,
anonymously, about the service; answered by the head of office through the transition machine,
so each answer is in the audit trail."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import notices
from evaluation.models import Complaint
from evaluation.states import ComplaintTopic
from licensing import roles, rules
from licensing.services import sequence_next
from licensing.states import ApplicationState
from workflows.machine import TransitionRefused, fsm_apply

logger = logging.getLogger("izin.evaluation")

BODY_MAX_LENGTH = 4000
ANSWER_MAX_LENGTH = 4000
REFERENCE_PREFIX = "ADU"  # pengaduan


def _text(value: str, *, limit: int, empty_message) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(empty_message, code="required")
    if len(value) > limit:
        raise ValidationError(_("Write at most %(limit)s characters.") % {"limit": limit},
                              code="too_long")
    return value


def _reference() -> str:
    year = timezone.localdate().year
    return f"{REFERENCE_PREFIX}-{year}-{sequence_next(key='complaint', year=year):06d}"


def complaint_file(*, application, actor, body: str) -> Complaint:
    """A business's complaint about one of its applications (not a draft: the office has not
    seen those). The head of office is told; the complainant keeps the returned reference."""
    body = _text(body, limit=BODY_MAX_LENGTH, empty_message=_("Write your complaint."))
    if not rules.acts_for_business(actor, application.business):
        raise TransitionRefused(_("You do not act for this business."), code="permission_denied")
    if application.state == ApplicationState.DRAFT:
        raise TransitionRefused(_("A draft has not reached the office yet."), code="draft")
    with transaction.atomic():
        complaint = Complaint.objects.create(
            reference=_reference(), topic=ComplaintTopic.APPLICATION, application=application,
            submitted_by=actor, body=body)
        notices.complaint_received(complaint=complaint)
    logger.info("complaint_filed complaint_id=%s application_id=%s", complaint.pk,
                application.pk)
    return complaint


def complaint_file_anonymous(*, body: str) -> Complaint:
    """Anyone's complaint about the service: no person, address or application is kept, even
    when the sender is signed in. The caller limits how often one address may send."""
    body = _text(body, limit=BODY_MAX_LENGTH, empty_message=_("Write your complaint."))
    with transaction.atomic():
        complaint = Complaint.objects.create(reference=_reference(),
                                             topic=ComplaintTopic.SERVICE, body=body)
        notices.complaint_received(complaint=complaint)
    logger.info("complaint_filed complaint_id=%s anonymous=true", complaint.pk)
    return complaint


def complaint_answer(*, complaint: Complaint, actor, answer: str) -> Complaint:
    """The head of office's answer, once: the answer is kept on the complaint and, as the note
    of its move, in the audit trail; the complainant (when known) is told."""
    answer = _text(answer, limit=ANSWER_MAX_LENGTH, empty_message=_("Write the answer."))
    # fsm_apply checks the same permission; asking first gives a message that says who may.
    if not roles.in_group(actor, roles.HEAD_OF_OFFICE):
        raise TransitionRefused(_("Only the head of office may answer a complaint."),
                                code="permission_denied")
    with transaction.atomic():
        locked = (Complaint.objects.select_for_update(of=("self",))
                  .select_related("application", "submitted_by").get(pk=complaint.pk))
        if locked.answered_at is not None:
            raise TransitionRefused(_("This complaint was already answered."),
                                    code="already_answered")
        fsm_apply(instance=locked, transition="give_answer", actor=actor, note=answer,
                  application=locked.application, by=actor, answer=answer, at=timezone.now())
        notices.complaint_answered(complaint=locked)
    logger.info("complaint_answered complaint_id=%s user_id=%s", locked.pk, actor.pk)
    return locked

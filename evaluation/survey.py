"""The satisfaction survey (SKM): inviting a business once per application, and taking its one
answer without keeping who gave it.

The questions and their four answers follow the questionnaire of PermenPAN-RB 14/2017
(Lampiran); the Indonesian wording of the regulation is given to translators beside each
English source text. Score 1 is the worst answer, 4 the best, as the index (``evaluation.ikm``)
expects.
"""

import logging
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluation import notices
from evaluation.models import ELEMENTS, SurveyInvitation, SurveyResponse
from licensing import roles
from workflows.machine import TransitionRefused

logger = logging.getLogger("izin.evaluation")

COMMENT_MAX_LENGTH = 2000
SCORES = (1, 2, 3, 4)

# Per element: the question and its four answers, worst (1) to best (4).
QUESTIONS = {
    "requirements": (
        # Translators: PermenPAN-RB 14/2017: "Bagaimana pendapat Saudara tentang kesesuaian
        # persyaratan pelayanan dengan jenis pelayanannya?"
        gettext_lazy("How well did the requirements fit the service you asked for?"),
        # Translators: tidak sesuai / kurang sesuai / sesuai / sangat sesuai
        (gettext_lazy("Not appropriate"), gettext_lazy("Less appropriate"),
         gettext_lazy("Appropriate"), gettext_lazy("Very appropriate")),
    ),
    "procedure": (
        # Translators: "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di
        # unit ini?"
        gettext_lazy("How easy was the procedure of this service?"),
        # Translators: tidak mudah / kurang mudah / mudah / sangat mudah
        (gettext_lazy("Not easy"), gettext_lazy("Less easy"), gettext_lazy("Easy"),
         gettext_lazy("Very easy")),
    ),
    "time": (
        # Translators: "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan
        # pelayanan?"
        gettext_lazy("How fast was the service?"),
        # Translators: tidak cepat / kurang cepat / cepat / sangat cepat
        (gettext_lazy("Not fast"), gettext_lazy("Less fast"), gettext_lazy("Fast"),
         gettext_lazy("Very fast")),
    ),
    "cost": (
        # Translators: "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam
        # pelayanan?"
        gettext_lazy("How fair was the cost of the service?"),
        # Translators: sangat mahal / cukup mahal / murah / gratis
        (gettext_lazy("Very expensive"), gettext_lazy("Rather expensive"),
         gettext_lazy("Cheap"), gettext_lazy("Free")),
    ),
    "product": (
        # Translators: "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara
        # yang tercantum dalam standar pelayanan dengan hasil yang diberikan?"
        gettext_lazy("How well did what you received match the published service standard?"),
        # Translators: tidak sesuai / kurang sesuai / sesuai / sangat sesuai
        (gettext_lazy("Not appropriate"), gettext_lazy("Less appropriate"),
         gettext_lazy("Appropriate"), gettext_lazy("Very appropriate")),
    ),
    "competence": (
        # Translators: "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam
        # pelayanan?"
        gettext_lazy("How competent were the staff?"),
        # Translators: tidak kompeten / kurang kompeten / kompeten / sangat kompeten
        (gettext_lazy("Not competent"), gettext_lazy("Less competent"),
         gettext_lazy("Competent"), gettext_lazy("Very competent")),
    ),
    "behaviour": (
        # Translators: "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan
        # terkait kesopanan dan keramahan?"
        gettext_lazy("How polite and friendly were the staff?"),
        # Translators: tidak sopan dan ramah / kurang sopan dan ramah / sopan dan ramah /
        # sangat sopan dan ramah
        (gettext_lazy("Not polite and friendly"), gettext_lazy("Less polite and friendly"),
         gettext_lazy("Polite and friendly"), gettext_lazy("Very polite and friendly")),
    ),
    "complaints": (
        # Translators: "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna
        # layanan?"
        gettext_lazy("How were complaints, suggestions and feedback handled?"),
        # Translators: tidak ada / ada tetapi tidak berfungsi / berfungsi kurang maksimal /
        # dikelola dengan baik
        (gettext_lazy("Not available"), gettext_lazy("Available but not working"),
         gettext_lazy("Working, but not fully"), gettext_lazy("Well managed")),
    ),
    "facilities": (
        # Translators: "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"
        gettext_lazy("How good were the facilities (the website, the office)?"),
        # Translators: buruk / cukup / baik / sangat baik
        (gettext_lazy("Poor"), gettext_lazy("Fair"), gettext_lazy("Good"),
         gettext_lazy("Very good")),
    ),
}


def survey_invite(*, application) -> SurveyInvitation | None:
    """Invite the business to the survey of an application that ended in a permit or a
    rejection, and tell its people. Once per application: None when it was already invited.
    Called by the receiver inside the transaction of the move, under the application's lock."""
    invitation, created = SurveyInvitation.objects.get_or_create(application=application)
    if not created:
        return None
    notices.survey_invited(invitation=invitation)
    logger.info("survey_invited application_id=%s", application.pk)
    return invitation


def _clean_scores(scores: dict) -> dict[str, int]:
    """Exactly one score of 1 to 4 per element; anything else refused as a whole."""
    cleaned, missing = {}, []
    for name, label in ELEMENTS:
        value = scores.get(name)
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value not in SCORES:
            missing.append(str(label))
        else:
            cleaned[name] = value
    if missing:
        raise ValidationError(_("Choose one answer for each question. Missing: %(items)s.")
                              % {"items": ", ".join(missing)}, code="incomplete")
    return cleaned


def survey_answer(*, token: str, scores: dict, comment: str, actor) -> SurveyResponse:
    """Take the one answer of an invitation. The answer (``SurveyResponse``) keeps the permit
    type and the day only: no link to the invitation, the application or the person, and the
    log names none of them.

    ``actor`` is the person signed in, or None for whoever holds the e-mail's link (the token
    is the permission). The office's own people may not answer: the index measures the
    businesses' view. Raises ``TransitionRefused`` (``already_answered``, ``permission_denied``)
    or ``ValidationError`` (incomplete scores, a comment too long); either way nothing is stored.
    """
    cleaned = _clean_scores(scores)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(_("The comment may have at most %(limit)s characters.")
                              % {"limit": COMMENT_MAX_LENGTH}, code="too_long")
    if roles.is_staff_member(actor):
        raise TransitionRefused(_("The office's own staff cannot answer the survey."),
                                code="permission_denied")
    with transaction.atomic():
        invitation = (SurveyInvitation.objects.select_for_update(of=("self",))
                      .select_related("application").filter(token=token[:64]).first())
        if invitation is None:
            raise TransitionRefused(_("This survey link is not valid."), code="not_found")
        if invitation.answered_at is not None:
            raise TransitionRefused(_("This survey was already answered. Thank you."),
                                    code="already_answered")
        now = timezone.now()
        response = SurveyResponse(permit_type_id=invitation.application.permit_type_id,
                                  answered_on=timezone.localdate(now), comment=comment,
                                  **cleaned)
        response.full_clean()
        response.save()
        # The day only, not the moment: ordering invitations by the minute they were answered
        # would line them up with the answers' ids and undo the anonymity.
        invitation.answered_at = timezone.make_aware(datetime.combine(response.answered_on,
                                                                      time.min))
        invitation.save(update_fields=["answered_at"])
    logger.info("survey_answered permit_type_id=%s", response.permit_type_id)
    return response

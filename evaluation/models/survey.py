"""The public-service satisfaction survey (SKM, PermenPAN-RB 14/2017): an invitation per
application, and answers that carry no link back to it, so no report can name who answered."""

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The regulation's nine elements (unsur), in its order: U1 … U9.
ELEMENTS = (
    ("requirements", _("Requirements")),
    ("procedure", _("Procedure")),
    ("time", _("Time taken")),
    ("cost", _("Cost")),
    ("product", _("What the service delivers")),
    ("competence", _("Staff competence")),
    ("behaviour", _("Staff behaviour")),
    ("complaints", _("Handling of complaints, suggestions and feedback")),
    ("facilities", _("Facilities")),
)


def _token() -> str:
    return secrets.token_urlsafe(24)


class SurveyInvitation(models.Model):
    """Once per application, made when it ends in a permit or a rejection. ``answered_at`` says
    it was used; the answer itself (``SurveyResponse``) does not say whose it was."""

    application = models.OneToOneField("licensing.Application", on_delete=models.CASCADE,
                                       related_name="survey_invitation",
                                       verbose_name=_("application"))
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self) -> str:
        return str(self.application)


def _score(name: str, label) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(4)])


class SurveyResponse(models.Model):
    """One answered survey: a score of 1 to 4 per element and a comment. The permit type and the
    month it was answered in are all that place it."""

    permit_type = models.ForeignKey("licensing.PermitType", on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("permit type"))
    answered_on = models.DateField(_("answered on"))
    requirements = _score("requirements", _("Requirements"))
    procedure = _score("procedure", _("Procedure"))
    time = _score("time", _("Time taken"))
    cost = _score("cost", _("Cost"))
    product = _score("product", _("What the service delivers"))
    competence = _score("competence", _("Staff competence"))
    behaviour = _score("behaviour", _("Staff behaviour"))
    complaints = _score("complaints", _("Handling of complaints, suggestions and feedback"))
    facilities = _score("facilities", _("Facilities"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [models.Index(fields=["answered_on", "permit_type"],
                                name="survey_month_type_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(*[(f"{name}__gte", 1) for name, _label in ELEMENTS],
                                   *[(f"{name}__lte", 4) for name, _label in ELEMENTS]),
                name="survey_scores_one_to_four"),
        ]

    def __str__(self) -> str:
        return f"{self.permit_type} {self.answered_on}"

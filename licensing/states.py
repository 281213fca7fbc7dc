from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid")
    ISSUED = "issued", _("Issued")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
    LAPSED = "lapsed", _("Lapsed")


# Expired is not final: front-office or treasury staff may reissue the bill (``reissue``).
FINAL = frozenset(
    {
        ApplicationState.ISSUED,
        ApplicationState.REJECTED,
        ApplicationState.WITHDRAWN,
        ApplicationState.LAPSED,
    }
)

# States an application only passes through: the service moves it on in the same transaction.
TRANSIENT = frozenset({ApplicationState.SUBMITTED})

WITHDRAWABLE = [
    ApplicationState.DRAFT,
    ApplicationState.SUBMITTED,
    ApplicationState.IN_REVIEW,
    ApplicationState.CHANGES_REQUESTED,
    ApplicationState.AWAITING_PAYMENT,
]

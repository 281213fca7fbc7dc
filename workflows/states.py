from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskState(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


PENDING = frozenset({TaskState.OPEN, TaskState.CLAIMED})
DECIDED = frozenset({TaskState.APPROVED, TaskState.CHANGES_REQUESTED, TaskState.REJECTED})
FINAL = DECIDED | {TaskState.CANCELLED}


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    REJECT = "reject", _("Reject")


class StepKind(models.TextChoices):
    REVIEW = "review", _("Document review")
    INSPECTION = "inspection", _("Site inspection")

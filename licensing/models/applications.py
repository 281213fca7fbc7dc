"""The application and its state machine: every allowed move is declared here, in one place.

Transition methods only change fields. Locking, permission checks, the audit entry and side
effects belong to ``licensing.services.application_transition``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from licensing import rules
from licensing.models.catalogue import PaymentTiming, PermitType
from licensing.models.people import Business
from licensing.states import WITHDRAWABLE, ApplicationState

S = ApplicationState


# Conditions. Pure questions about the application; django-fsm shows their names in the graph.


def is_complete(app: "Application") -> bool:
    return not app.missing_requirements()


def has_no_review_steps(app: "Application") -> bool:
    return not app.permit_type.review_steps.exists()


def payment_settled_or_not_needed_yet(app: "Application") -> bool:
    """Review may start unless the type wants payment first and it has not come."""
    return app.permit_type.payment_timing != PaymentTiming.BEFORE_REVIEW or app.paid_at is not None


def payment_due_now(app: "Application") -> bool:
    if app.paid_at is not None:
        return False
    timing = app.permit_type.payment_timing
    if app.state == S.SUBMITTED:
        return timing == PaymentTiming.BEFORE_REVIEW
    return app.state == S.APPROVED and timing == PaymentTiming.AFTER_APPROVAL


def nothing_left_to_pay(app: "Application") -> bool:
    return app.permit_type.is_free or app.paid_at is not None


def review_complete(app: "Application") -> bool:
    """Every step has, for each of its groups, a current approving decision."""
    for step in app.permit_type.review_steps.prefetch_related("groups"):
        approved_groups = set(
            app.review_tasks.filter(step=step, is_current=True, state="approved").values_list(
                "group_id", flat=True
            )
        )
        if {g.pk for g in step.groups.all()} - approved_groups:
            return False
    return True


def review_complete_or_approved_by_law(app: "Application") -> bool:
    return app.approved_by_law or review_complete(app)


def review_pending(app: "Application") -> bool:
    return not review_complete(app)


def changes_answered(app: "Application") -> bool:
    """Every document the reviewer asked to replace has a version uploaded after the request."""
    request = app.latest_change_request()
    if request is None:
        return True
    for requirement in request.documents_to_replace.all():
        if not app.attachments.filter(
            requirement=requirement, uploaded_at__gt=request.decided_at
        ).exists():
            return False
    return True


class Purpose(models.TextChoices):
    NEW = "new", _("New permit")
    RENEWAL = "renewal", _("Renewal")
    AMENDMENT = "amendment", _("Amendment")


class Application(ConcurrentTransitionMixin, models.Model):
    """An application for a permit (permohonan izin) by a business."""

    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="applications",
                                 verbose_name=_("business"))
    permit_type = models.ForeignKey(
        PermitType, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("permit type"),
    )
    state = FSMField(
        _("state"), max_length=20, choices=S.choices, default=S.DRAFT, protected=True, db_index=True
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("created by"),
    )
    filed_at_counter = models.BooleanField(
        _("filed at the counter"), default=False,
        help_text=_("Filed by front-office staff on behalf of a walk-in business."),
    )
    # A renewal or an amendment follows an issued permit; an amendment, once issued, supersedes it.
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices,
                               default=Purpose.NEW)
    follows_permit = models.ForeignKey(
        "licensing.Permit", on_delete=models.PROTECT, null=True, blank=True,
        related_name="follow_ups", verbose_name=_("follows permit"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    # Fiktif positif: the service standard passed without a decision (``approve_by_law``).
    approved_by_law = models.BooleanField(_("approved by operation of law"), default=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference

    # Questions the conditions and pages ask.

    def missing_requirements(self) -> list[str]:
        missing = [
            str(doc.name)
            for doc in self.permit_type.required_documents.filter(mandatory=True)
            if not self.attachments.filter(requirement=doc).exists()
        ]
        missing += [
            str(field.label)
            for field in self.permit_type.form_fields.filter(required=True)
            if self.answers.get(field.key) in (None, "", {})
        ]
        return missing

    def latest_change_request(self):
        return (
            self.review_tasks.filter(state="changes_requested").order_by("-decided_at").first()
        )

    # The machine. Sources, targets, conditions and permissions: nothing else.

    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED,
                conditions=[is_complete], permission=rules.may_act_as_applicant)
    def submit(self):
        self.submitted_at = self.submitted_at or timezone.now()

    @transition(field=state, source=[S.SUBMITTED, S.PAID], target=S.IN_REVIEW,
                conditions=[review_pending, payment_settled_or_not_needed_yet],
                permission=rules.is_system)
    def start_review(self):
        pass

    @transition(field=state, source=S.IN_REVIEW, target=S.CHANGES_REQUESTED,
                permission=rules.reviewer_or_system)
    def request_changes(self):
        pass

    @transition(field=state, source=S.CHANGES_REQUESTED, target=S.IN_REVIEW,
                conditions=[is_complete, changes_answered], permission=rules.may_act_as_applicant)
    def resubmit(self):
        pass

    @transition(field=state, source=S.IN_REVIEW, target=S.APPROVED,
                conditions=[review_complete], permission=rules.reviewer_or_system)
    def approve(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=S.IN_REVIEW, target=S.APPROVED, permission=rules.is_system)
    def approve_by_law(self):
        """Fiktif positif: the service standard passed without a decision. Pending reviews, an
        open inspection or a rejection being written do not stop it: the law does not."""
        self.decided_at = timezone.now()
        self.approved_by_law = True

    @transition(field=state, source=S.CHANGES_REQUESTED, target=S.LAPSED,
                permission=rules.is_system)
    def lapse(self):
        """The business did not make the requested changes within the type's correction days."""

    @transition(field=state, source=[S.SUBMITTED, S.PAID], target=S.APPROVED,
                conditions=[has_no_review_steps, payment_settled_or_not_needed_yet],
                permission=rules.is_system)
    def approve_without_review(self):
        """Low-risk types: approved on submission (PP 5/2021 grants them on registration)."""
        self.decided_at = timezone.now()

    @transition(field=state, source=S.IN_REVIEW, target=S.REJECTED,
                permission=rules.reviewer_or_system)
    def reject(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=[S.SUBMITTED, S.APPROVED], target=S.AWAITING_PAYMENT,
                conditions=[payment_due_now], permission=rules.is_system)
    def request_payment(self):
        pass

    @transition(field=state, source=S.AWAITING_PAYMENT, target=S.PAID, permission=rules.is_system)
    def confirm_payment(self):
        self.paid_at = timezone.now()

    @transition(field=state, source=S.AWAITING_PAYMENT, target=S.EXPIRED,
                permission=rules.is_system)
    def expire(self):
        pass

    @transition(field=state, source=S.EXPIRED, target=S.AWAITING_PAYMENT,
                permission=rules.may_reissue_bill)
    def reissue(self):
        """Staff give the business a new bill (``payments.services.invoice_reissue``)."""

    @transition(field=state, source=[S.APPROVED, S.PAID], target=S.ISSUED,
                conditions=[review_complete_or_approved_by_law, nothing_left_to_pay],
                permission=rules.is_system)
    def issue(self):
        self.issued_at = timezone.now()

    @transition(field=state, source=WITHDRAWABLE, target=S.WITHDRAWN,
                permission=rules.may_act_as_applicant)
    def withdraw(self):
        pass

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from licensing.i18n import localized
from workflows.checklist import validate_checklist
from workflows.states import PENDING, StepKind, TaskState


class ReviewStep(models.Model):
    """One step of a permit type's review. Several groups on one step review in parallel."""

    permit_type = models.ForeignKey(
        "licensing.PermitType", on_delete=models.CASCADE, related_name="review_steps"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=StepKind.choices,
                            default=StepKind.REVIEW)
    groups = models.ManyToManyField(
        Group, related_name="review_steps", verbose_name=_("responsible groups"),
        help_text=_("Each group gets its own task; all of them must approve."),
    )
    sla_working_days = models.PositiveSmallIntegerField(_("SLA (working days)"))
    checklist = models.JSONField(
        _("inspection checklist"), default=list, blank=True,
        help_text=_('For site inspections: a list of {"id", "en"} items to check.'),
    )

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["permit_type", "position"]
        constraints = [
            models.UniqueConstraint(fields=["permit_type", "position"], name="step_position_once")
        ]

    def __str__(self) -> str:
        return f"{self.permit_type.code} {self.position}. {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def is_inspection(self) -> bool:
        return self.kind == StepKind.INSPECTION

    def clean(self) -> None:
        try:
            validate_checklist(self.checklist)
        except ValidationError as error:
            raise ValidationError({"checklist": error.messages}) from error


class ReviewTask(ConcurrentTransitionMixin, models.Model):
    """One group's review of one step of one application (tugas verifikasi)."""

    application = models.ForeignKey(
        "licensing.Application", on_delete=models.CASCADE, related_name="review_tasks"
    )
    step = models.ForeignKey(ReviewStep, on_delete=models.PROTECT, related_name="tasks")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="review_tasks")
    state = FSMField(max_length=20, choices=TaskState.choices, default=TaskState.OPEN,
                     protected=True, db_index=True)
    # False once a change request on this step sends it back: the step is reviewed again.
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    due_date = models.DateField(_("due date"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="claimed_tasks")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="decided_tasks")
    decided_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    conditions = models.TextField(_("conditions of approval"), blank=True)
    documents_to_replace = models.ManyToManyField(
        "licensing.RequiredDocument", blank=True, related_name="+",
        verbose_name=_("documents to replace"),
    )
    inspection_at = models.DateTimeField(_("inspection date and time"), null=True, blank=True)
    checklist_results = models.JSONField(default=dict, blank=True)
    findings = models.TextField(_("findings"), blank=True)

    class Meta:
        verbose_name = _("review task")
        verbose_name_plural = _("review tasks")
        ordering = ["due_date", "pk"]
        constraints = [
            # One pending task per group and step: opening a step twice cannot double the work.
            models.UniqueConstraint(
                fields=["application", "step", "group"],
                condition=models.Q(state__in=sorted(PENDING)),
                name="one_pending_task_per_group_and_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.step.name} · {self.group.name}"

    @transition(field=state, source=TaskState.OPEN, target=TaskState.CLAIMED)
    def claim(self, *, by):
        self.assignee = by

    @transition(field=state, source=TaskState.CLAIMED, target=TaskState.OPEN)
    def release(self):
        self.assignee = None

    @transition(field=state, source=list(PENDING), target=TaskState.APPROVED)
    def approve(self, *, by, at):
        self.assignee, self.decided_by, self.decided_at = by, by, at

    @transition(field=state, source=list(PENDING), target=TaskState.CHANGES_REQUESTED)
    def request_changes(self, *, by, at):
        self.assignee, self.decided_by, self.decided_at = by, by, at

    @transition(field=state, source=list(PENDING), target=TaskState.REJECTED)
    def reject(self, *, by, at):
        self.assignee, self.decided_by, self.decided_at = by, by, at

    @transition(field=state, source=list(PENDING), target=TaskState.CANCELLED)
    def cancel(self):
        pass


class Holiday(models.Model):
    """A national holiday or collective leave day (cuti bersama): not a working day for SLAs."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Audit entries are append-only.")

    def delete(self):
        raise PermissionDenied("Audit entries are append-only.")


class TransitionLog(models.Model):
    """The append-only audit trail of every state change: who, when, from, to, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    application = models.ForeignKey(
        "licensing.Application", null=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    transition = models.CharField(max_length=50)
    source = models.CharField(max_length=30)
    target = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                              related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.transition}: {self.source} → {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit entries are append-only.")

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from licensing.i18n import localized
from workflows.audit_chain import ChainedEntry, ChainedQuerySet, seal_after_insert
from workflows.checklist import validate_checklist
from workflows.states import PENDING, StepKind, TaskState


class ReviewUnit(models.Model):
    """The office a reviewer group stands for, by the name citizens know it (unit penanggung
    jawab). Groups are technical ids; the city names and renames its offices here."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="review_unit",
                                 verbose_name=_("group"))
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="supervised_units", verbose_name=_("supervisor"),
        help_text=_("Told, with the head of office, when a task of this unit is overdue; may "
                    "reassign it."),
    )

    class Meta:
        verbose_name = _("review unit")
        verbose_name_plural = _("review units")
        ordering = ["name_id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


def unit_name(group: Group) -> str:
    """The name a person sees for a group: its unit's, else the group's own (a group nobody has
    named yet). Select or prefetch ``review_unit`` with the groups to avoid a query each."""
    try:
        return group.review_unit.name
    except ReviewUnit.DoesNotExist:
        return group.name


class ReviewStep(models.Model):
    """One step of a permit type's review. Several groups on one step review in parallel."""

    permit_type = models.ForeignKey(
        "licensing.PermitType", on_delete=models.CASCADE, related_name="review_steps",
        verbose_name=_("permit type"),
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
        "licensing.Application", on_delete=models.CASCADE, related_name="review_tasks",
        verbose_name=_("application"),
    )
    step = models.ForeignKey(ReviewStep, on_delete=models.PROTECT, related_name="tasks",
                             verbose_name=_("review step"))
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="review_tasks",
                              verbose_name=_("group"))
    state = FSMField(_("state"), max_length=20, choices=TaskState.choices,
                     default=TaskState.OPEN, protected=True, db_index=True)
    # False once a change request on this step sends it back: the step is reviewed again.
    is_current = models.BooleanField(_("current"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Closing time of the step's last working day (``workflows.calendar``).
    due_at = models.DateTimeField(_("due"), db_index=True)
    # The next reminder or the escalation (``workflows.deadlines``); empty when none is left.
    next_alert_at = models.DateTimeField(_("next reminder"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # A change request sends the step back: the working days it had left, for its next round.
    days_left_at_return = models.SmallIntegerField(_("working days left when sent back"),
                                                   null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="claimed_tasks",
                                 verbose_name=_("claimed by"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="decided_tasks",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    conditions = models.TextField(_("conditions of approval"), blank=True)
    documents_to_replace = models.ManyToManyField(
        "licensing.RequiredDocument", blank=True, related_name="+",
        verbose_name=_("documents to replace"),
    )
    inspection_at = models.DateTimeField(_("inspection date and time"), null=True, blank=True)
    checklist_results = models.JSONField(_("checklist results"), default=dict, blank=True)
    findings = models.TextField(_("findings"), blank=True)

    class Meta:
        verbose_name = _("review task")
        verbose_name_plural = _("review tasks")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["next_alert_at"], condition=models.Q(next_alert_at__isnull=False),
                         name="task_alert_due"),
        ]
        constraints = [
            # One pending task per group and step: opening a step twice cannot double the work.
            models.UniqueConstraint(
                fields=["application", "step", "group"],
                condition=models.Q(state__in=sorted(PENDING)),
                name="one_pending_task_per_group_and_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.step.name} · {unit_name(self.group)}"

    @transition(field=state, source=TaskState.OPEN, target=TaskState.CLAIMED)
    def claim(self, *, by):
        self.assignee = by

    @transition(field=state, source=TaskState.CLAIMED, target=TaskState.OPEN)
    def release(self):
        self.assignee = None

    @transition(field=state, source=list(PENDING), target=TaskState.CLAIMED)
    def reassign(self, *, to):
        """The head of office (or the unit's supervisor) hands the task to one reviewer."""
        self.assignee = to

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


class CalendarDay(models.Model):
    """The administrator's change to the national calendar: a day the office is closed that the
    ``holidays`` library cannot know (a regional holiday, a closure), or a national day off the
    office works after all (a holiday the government cancelled)."""

    date = models.DateField(_("date"), unique=True)
    is_closed = models.BooleanField(
        _("office closed"), default=True,
        help_text=_("Ticked: not a working day. Unticked: a working day although the national "
                    "calendar says otherwise."),
    )
    name = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class ApplicationClock(models.Model):
    """The service standard of one application, counted in working days (``workflows.calendar``).

    It starts when the application first enters review (complete, and paid where the type wants
    payment first), stops while the business makes requested changes (keeping the days left),
    resumes on resubmission, and ends with the decision. ``decision_due_at`` is when the standard
    runs out; the sweep (``workflows.deadlines``) acts on it once, marking ``overdue_at``.
    """

    application = models.OneToOneField(
        "licensing.Application", on_delete=models.CASCADE, primary_key=True,
        related_name="clock", verbose_name=_("application"),
    )
    standard_days = models.PositiveSmallIntegerField(_("service standard (working days)"))
    started_at = models.DateTimeField(_("started at"))
    decision_due_at = models.DateTimeField(_("decision due"), null=True, blank=True)
    days_left = models.SmallIntegerField(_("working days left while stopped"), null=True,
                                         blank=True)
    correction_due_at = models.DateTimeField(_("changes due from the business"), null=True,
                                             blank=True)
    overdue_at = models.DateTimeField(_("standard ran out at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # Set when the clock ends: the working days the office took, the days the business spent
    # on requested changes not counted. More than ``standard_days``: the standard was missed.
    # What the monthly evaluation and the public statistics read.
    working_days_used = models.SmallIntegerField(_("working days used"), null=True, blank=True)

    class Meta:
        verbose_name = _("service-standard clock")
        verbose_name_plural = _("service-standard clocks")
        indexes = [
            models.Index(fields=["decision_due_at"], name="clock_decision_due",
                         condition=models.Q(stopped_at__isnull=True, overdue_at__isnull=True,
                                            decision_due_at__isnull=False)),
            models.Index(fields=["correction_due_at"], name="clock_correction_due",
                         condition=models.Q(correction_due_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return str(self.application)

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None and self.decision_due_at is not None

    @property
    def within_standard(self) -> bool | None:
        if self.working_days_used is None:
            return None
        return self.working_days_used <= self.standard_days


class AppendOnlyQuerySet(ChainedQuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Audit entries are append-only.")

    def delete(self):
        raise PermissionDenied("Audit entries are append-only.")


class TransitionLog(ChainedEntry):
    """The append-only audit trail of every state change: who, when, from, to, why. Chained per
    day by hash (``workflows.audit_chain``); on PostgreSQL the database refuses UPDATE and
    DELETE."""

    chain_fields = ("id", "content_type_id", "object_id", "application_id", "transition",
                    "source", "target", "actor_id", "note", "created_at")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT,
                                     verbose_name=_("record type"))
    object_id = models.PositiveBigIntegerField(_("record id"))
    application = models.ForeignKey(
        "licensing.Application", null=True, on_delete=models.PROTECT, related_name="audit_entries",
        verbose_name=_("application"),
    )
    transition = models.CharField(_("transition"), max_length=50)
    source = models.CharField(_("from state"), max_length=30)
    target = models.CharField(_("to state"), max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("actor"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.transition}: {self.source_label} → {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit entries are append-only.")
        super().save(*args, **kwargs)
        seal_after_insert(type(self), using=self._state.db, instances=[self])

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit entries are append-only.")

    @property
    def source_label(self) -> str:
        return self._state_label(self.source)

    @property
    def target_label(self) -> str:
        return self._state_label(self.target)

    def _state_label(self, value: str) -> str:
        """The label of a state of the logged model (every machine's field is ``state``); the
        raw value for a state or model that no longer exists."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        try:
            choices = dict(model._meta.get_field("state").flatchoices)
        except (AttributeError, FieldDoesNotExist):
            return value
        return str(choices.get(value, value))


class ChainHead(models.Model):
    """The last link of one day's hash chain of an append-only table (``audit_chain``): the
    next entry of that day takes ``seq + 1`` and chains to ``hash``. One small row per table and
    day, read and moved under one lock, so two entries never chain to the same predecessor."""

    chain = models.CharField(_("table"), max_length=63)
    day = models.DateField(_("day"))
    seq = models.PositiveIntegerField(_("entries"))
    hash = models.CharField(_("hash of the last entry"), max_length=64)

    class Meta:
        verbose_name = _("chain head")
        verbose_name_plural = _("chain heads")
        constraints = [models.UniqueConstraint(fields=["chain", "day"], name="chain_head_once")]

    def __str__(self) -> str:
        return f"{self.chain} {self.day:%Y-%m-%d}"

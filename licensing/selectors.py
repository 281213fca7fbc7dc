"""Reads for the applicant portal and the counter. Every queryset is scoped to the person asking,
so a view cannot forget who may see what: anything outside the scope is a 404."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from documents.models import Attachment
from licensing import roles
from licensing.answers import answer_display
from licensing.models import (
    Application,
    Business,
    BusinessInvitation,
    BusinessMembership,
    FormField,
    MemberRole,
    Permit,
    PermitType,
    RequiredDocument,
)
from licensing.register import may_see_register
from licensing.states import FINAL, ApplicationState
from workflows.models import ReviewStep, ReviewTask, unit_name
from workflows.selectors import application_timeline, task_is_overdue
from workflows.states import PENDING, TaskState

# The public catalogue.


def permit_type_list_public() -> QuerySet[PermitType]:
    """Permit types open for applications, with everything their catalogue page shows."""
    return PermitType.objects.filter(is_active=True).prefetch_related(
        "required_documents",
        "form_fields",
        Prefetch("review_steps",
                 queryset=ReviewStep.objects.prefetch_related("groups__review_unit")),
    )


def permit_type_get_public(*, code: str) -> PermitType:
    return get_object_or_404(permit_type_list_public(), code=code)


# Businesses and the people who act for them.


def business_list_for_user(*, user) -> QuerySet[Business]:
    return Business.objects.filter(memberships__user=user).order_by("legal_name")


def business_get_for_member(*, user, pk: int) -> Business:
    return get_object_or_404(business_list_for_user(user=user), pk=pk)


def business_find_by_nib(*, nib: str) -> Business | None:
    """For the counter: front-office staff look up a walk-in business by its NIB."""
    return Business.objects.filter(nib=nib).first()


def membership_list_for_business(*, business: Business) -> QuerySet[BusinessMembership]:
    return business.memberships.select_related("user").order_by("role", "user__full_name")


def invitation_list_pending(*, business: Business) -> QuerySet[BusinessInvitation]:
    return business.invitations.filter(accepted_at__isnull=True).order_by("-created_at")


def invitation_pending_owner(*, business: Business) -> BusinessInvitation | None:
    """For the counter: the owner's invitation of a business registered there, until accepted."""
    return invitation_list_pending(business=business).filter(role=MemberRole.OWNER).first()


def invitation_get_for_user(*, user, token: str) -> BusinessInvitation:
    """An unused invitation addressed to this user's e-mail address, else 404."""
    return get_object_or_404(
        BusinessInvitation.objects.select_related("business", "invited_by"),
        token=token, email=user.email.lower(), accepted_at__isnull=True,
    )


def user_is_owner(*, user, business: Business) -> bool:
    return business.memberships.filter(user=user, role=MemberRole.OWNER).exists()


# Applications.


def _visible_to(user) -> Q:
    """Who may read an application: the business's own people; the front office, for what was
    filed at the counter; reviewers whose group holds a task on it (``licensing.rules``)."""
    visible = Q(business__memberships__user=user) | Q(review_tasks__group__in=user.groups.all())
    if roles.in_group(user, roles.FRONT_OFFICE):
        visible |= Q(filed_at_counter=True)
    return visible


def _applications_visible_to(user) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    if user.is_superuser:
        return Application.objects.all()
    # A subquery rather than joins in the outer query: several matching rows give one result.
    return Application.objects.filter(
        pk__in=Application.objects.filter(_visible_to(user)).values("pk")
    )


def application_list_for_user(*, user) -> QuerySet[Application]:
    """The applications of the businesses I act for, newest first."""
    return (
        Application.objects.filter(
            business__in=Business.objects.filter(memberships__user=user).values("pk")
        )
        .select_related("business", "permit_type")
        .order_by("-created_at")
    )


def application_list_filed_at_counter(*, user) -> QuerySet[Application]:
    if not roles.in_group(user, roles.FRONT_OFFICE):
        return Application.objects.none()
    return (
        Application.objects.filter(filed_at_counter=True)
        .select_related("business", "permit_type", "created_by")
        .order_by("-created_at")
    )


def application_get_for_user(*, user, pk: int) -> Application:
    return get_object_or_404(
        _applications_visible_to(user).select_related("business", "permit_type", "created_by"),
        pk=pk,
    )


def permit_get_for_user(*, user, pk: int) -> Permit:
    """An issued permit (its signed PDF stored) of an application the user may see, or any
    issued permit for office staff who read the register; else 404."""
    permits = Permit.objects.exclude(file="")
    if not may_see_register(user):
        permits = permits.filter(application__in=_applications_visible_to(user).values("pk"))
    return get_object_or_404(permits, pk=pk)


def application_permit(*, application: Application) -> Permit | None:
    """The application's permit once its signed PDF is stored; None while it is being issued."""
    return Permit.objects.filter(application=application).exclude(file="").first()


def requirement_get_for_application(*, application: Application, pk: int) -> RequiredDocument:
    return get_object_or_404(application.permit_type.required_documents.all(), pk=pk)


def attachment_get_for_user(*, user, pk: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.filter(application__in=_applications_visible_to(user).values("pk")),
        pk=pk,
    )


# What the application page shows.


@dataclass(frozen=True)
class DocumentRow:
    requirement: RequiredDocument
    versions: list[Attachment]  # newest first; earlier versions are kept
    asked_to_replace: bool
    replaced: bool

    @property
    def current(self) -> Attachment | None:
        return self.versions[0] if self.versions else None

    @property
    def earlier(self) -> list[Attachment]:
        return self.versions[1:]


@dataclass(frozen=True)
class ChangeRequest:
    task: ReviewTask
    is_open: bool
    documents: list[DocumentRow]


@dataclass(frozen=True)
class TaskProgress:
    task: ReviewTask
    overdue: bool


@dataclass(frozen=True)
class StepProgress:
    step: ReviewStep
    status: str  # done, in_progress, changes_requested, stopped or waiting
    tasks: list[TaskProgress]
    finished_at: datetime | None


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    label: str
    actor: str = ""
    note: str = ""


def application_answers(*, application: Application) -> list[tuple[FormField, str]]:
    return [
        (field, answer_display(field, application.answers.get(field.key)))
        for field in application.permit_type.form_fields.all()
    ]


def application_documents(*, application: Application) -> list[DocumentRow]:
    versions: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in application.attachments.filter(requirement__isnull=False).order_by(
        "requirement_id", "-version"
    ):
        versions[attachment.requirement_id].append(attachment)
    request = application.latest_change_request()
    asked = set(request.documents_to_replace.values_list("pk", flat=True)) if request else set()
    return [
        DocumentRow(
            requirement=requirement,
            versions=versions[requirement.pk],
            asked_to_replace=requirement.pk in asked,
            replaced=any(a.uploaded_at > request.decided_at for a in versions[requirement.pk])
            if requirement.pk in asked else False,
        )
        for requirement in application.permit_type.required_documents.all()
    ]


def application_change_request(*, application: Application,
                               documents: list[DocumentRow]) -> ChangeRequest | None:
    """The latest request for changes, and whether the applicant still has to answer it."""
    task = application.latest_change_request()
    if task is None:
        return None
    return ChangeRequest(
        task=task,
        is_open=application.state == ApplicationState.CHANGES_REQUESTED,
        documents=[row for row in documents if row.asked_to_replace],
    )


def application_review_progress(*, application: Application) -> list[StepProgress]:
    """Each review step of the permit type: done, being reviewed (with due dates), or waiting."""
    tasks = defaultdict(list)
    for task in (
        application.review_tasks.filter(is_current=True)
        .exclude(state=TaskState.CANCELLED)
        .select_related("group__review_unit")
    ):
        tasks[task.step_id].append(task)
    returned_from = None
    if application.state == ApplicationState.CHANGES_REQUESTED:
        request = application.latest_change_request()
        returned_from = request.step_id if request else None
    progress = []
    for step in application.permit_type.review_steps.prefetch_related("groups"):
        step_tasks = tasks[step.pk]
        approved = [t for t in step_tasks if t.state == TaskState.APPROVED]
        if step_tasks and {g.pk for g in step.groups.all()} <= {t.group_id for t in approved}:
            status = "done"
        elif step_tasks and application.state in FINAL:
            status = "stopped"  # rejected or withdrawn while the step was open
        elif any(t.state in PENDING for t in step_tasks):
            status = "in_progress"
        elif step.pk == returned_from:
            status = "changes_requested"
        else:
            status = "waiting"
        progress.append(StepProgress(
            step=step,
            status=status,
            tasks=[TaskProgress(task=t, overdue=task_is_overdue(t)) for t in step_tasks],
            finished_at=max((t.decided_at for t in approved), default=None)
            if status == "done" else None,
        ))
    return progress


# What a task's transition means to a reader of the timeline (tests/licensing/test_timeline.py
# checks that every transition has a label). An application's own moves show its new state.
TASK_EVENTS = {
    "claim": _("taken up by a reviewer"),
    "release": _("returned to the queue"),
    "approve": _("approved"),
    "request_changes": _("changes requested"),
    "reject": _("rejected"),
    "cancel": _("closed without a decision"),
}
STATUS_CHANGED = _("Status changed")


def application_timeline_for_user(*, application: Application, user) -> list[TimelineEntry]:
    """Every step with its date. Applicants see the office, not the names of its officers."""
    members = set(application.business.memberships.values_list("user_id", flat=True))
    show_names = user.pk not in members

    def actor_name(actor) -> str:
        if actor is None:
            return str(_("System"))
        if show_names or actor.pk in members:
            return actor.full_name
        return str(_("Licensing office"))

    started = (_("Application filed at the counter") if application.filed_at_counter
               else _("Application started"))
    entries = [TimelineEntry(at=application.created_at, label=str(started),
                             actor=actor_name(application.created_by))]
    tasks = {t.pk: t for t in application.review_tasks.select_related("step",
                                                                       "group__review_unit")}
    entries += [
        TimelineEntry(
            at=task.created_at,
            label=_("%(step)s (%(unit)s): review opened, due %(due)s") % {
                "step": task.step.name, "unit": unit_name(task.group),
                "due": formats.date_format(task.due_date, "j F Y"),
            },
        )
        for task in tasks.values()
    ]
    application_type = ContentType.objects.get_for_model(Application)
    task_type = ContentType.objects.get_for_model(ReviewTask)
    # Bills (payments.Invoice), by their number and the state each entry moved them to.
    bills = dict(application.invoices.values_list("pk", "number"))
    for log in application_timeline(application=application):
        if log.content_type_id == application_type.pk:
            label = str(ApplicationState(log.target).label)
        elif log.content_type_id == task_type.pk and log.object_id in tasks:
            task = tasks[log.object_id]
            label = _("%(step)s (%(unit)s): %(event)s") % {
                "step": task.step.name, "unit": unit_name(task.group),
                "event": TASK_EVENTS.get(log.transition, STATUS_CHANGED),
            }
        elif (log.content_type.app_label, log.content_type.model) == ("payments", "invoice") and (
                log.object_id in bills):
            label = _("Bill %(number)s: %(state)s") % {"number": bills[log.object_id],
                                                       "state": log.target_label.lower()}
        else:
            label = str(STATUS_CHANGED)
        entries.append(TimelineEntry(at=log.created_at, label=label, actor=actor_name(log.actor),
                                     note=log.note))
    return sorted(entries, key=lambda entry: entry.at)

"""Review work: opening steps, claiming, deciding, inspections."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from licensing import roles
from licensing import services as licensing_services
from licensing.models import Application
from licensing.states import ApplicationState
from workflows import notices
from workflows.calendar import office_calendar
from workflows.checklist import CheckResult, checklist_items
from workflows.deadlines import task_due_at, task_schedule_alerts
from workflows.machine import TransitionRefused, fsm_apply
from workflows.models import ReviewStep, ReviewTask, TransitionLog
from workflows.rules import review_refusal
from workflows.states import PENDING, Decision, TaskState

logger = logging.getLogger("izin.workflows")


def _current_step(application: Application) -> ReviewStep | None:
    """The first step not yet approved by all of its groups."""
    for step in application.permit_type.review_steps.prefetch_related("groups"):
        approved = set(
            application.review_tasks.filter(
                step=step, is_current=True, state=TaskState.APPROVED
            ).values_list("group_id", flat=True)
        )
        if {g.pk for g in step.groups.all()} - approved:
            return step
    return None


def review_open_next_step(*, application: Application) -> list[ReviewTask]:
    """Create the tasks of the step the application has reached. Called under its row lock."""
    step = _current_step(application)
    if step is None:
        return []
    calendar, now = office_calendar(), timezone.now()
    due = task_due_at(step=step, application=application, calendar=calendar, now=now)
    covered = set(
        application.review_tasks.filter(step=step, is_current=True)
        .exclude(state=TaskState.CANCELLED)
        .values_list("group_id", flat=True)
    )
    created = []
    for group in step.groups.all():
        if group.pk in covered:
            continue
        task = ReviewTask(application=application, step=step, group=group, due_at=due,
                          created_at=now)
        task_schedule_alerts(task, calendar, after=now)
        task.save()
        created.append(task)
        notices.task_opened(task=task)
        logger.info("review_task_opened task_id=%s application_id=%s", task.pk, application.pk)
    return created


def _lock(task: ReviewTask) -> tuple[Application, ReviewTask]:
    """Lock application, then task: always in that order, so two decisions cannot deadlock."""
    application = Application.objects.select_for_update().get(pk=task.application_id)
    # ``of=("self",)``: lock the task only, not its step (shared by every application of the type).
    locked = (
        ReviewTask.objects.select_for_update(of=("self",)).select_related("step", "group")
        .get(pk=task.pk)
    )
    locked.application = application
    return application, locked


def _refuse_unless_pending(task: ReviewTask) -> None:
    if task.state in PENDING:
        return
    if task.state == TaskState.CANCELLED:
        raise TransitionRefused(
            _("This task was closed: another group's decision on the step already settled it."),
            code="already_decided",
        )
    decider = task.decided_by.full_name if task.decided_by else _("someone else")
    raise TransitionRefused(
        _("This task was already decided by %(name)s (%(decision)s).")
        % {"name": decider, "decision": task.get_state_display()},
        code="already_decided",
    )


def _refuse_unless_in_review(application: Application) -> None:
    """A withdrawn application may leave pending tasks behind; nobody works on them."""
    if application.state != ApplicationState.IN_REVIEW:
        raise TransitionRefused(
            _("This application is not in review (current state: %(state)s).")
            % {"state": application.get_state_display()},
            code="not_in_review",
        )


def _refuse_unless_allowed(task: ReviewTask, user) -> None:
    reason = review_refusal(task=task, user=user)
    if reason:
        raise TransitionRefused(reason, code="four_eyes")


def _refuse_if_claimed_by_another(task: ReviewTask, user) -> None:
    if task.state == TaskState.CLAIMED and task.assignee_id != user.pk:
        raise TransitionRefused(
            _("%(name)s is already working on this task.") % {"name": task.assignee.full_name},
            code="claimed",
        )


def _lock_for_work(task: ReviewTask, actor) -> tuple[Application, ReviewTask]:
    """Lock, then refuse unless ``actor`` may work on the task now. Call inside an atomic block."""
    application, task = _lock(task)
    if task.state == TaskState.CANCELLED and application.state == ApplicationState.WITHDRAWN:
        # Closed because the business withdrew: say that, not "another group decided".
        _refuse_unless_in_review(application)
    _refuse_unless_pending(task)
    _refuse_unless_in_review(application)
    _refuse_unless_allowed(task, actor)
    _refuse_if_claimed_by_another(task, actor)
    return application, task


@transaction.atomic
def task_claim(*, task: ReviewTask, actor) -> ReviewTask:
    application, task = _lock_for_work(task, actor)
    if task.state == TaskState.CLAIMED:
        return task
    fsm_apply(instance=task, transition="claim", actor=actor, application=application, by=actor)
    return task


@transaction.atomic
def task_release(*, task: ReviewTask, actor) -> ReviewTask:
    application, task = _lock(task)
    _refuse_unless_pending(task)
    if task.state == TaskState.OPEN:
        return task
    if task.assignee_id != actor.pk:
        raise TransitionRefused(_("Only the reviewer who claimed the task can release it."),
                                code="claimed")
    fsm_apply(instance=task, transition="release", actor=actor, application=application)
    return task


@transaction.atomic
def task_lock_for_inspection(*, task: ReviewTask, actor) -> ReviewTask:
    """The locked task, if ``actor`` may work on its site inspection now; else TransitionRefused.
    Used by the photo upload too, so photos cannot be added to a decided inspection."""
    _application, task = _lock_for_work(task, actor)
    if not task.step.is_inspection:
        raise TransitionRefused(_("This step is not a site inspection."), code="not_inspection")
    return task


@transaction.atomic
def task_schedule_inspection(*, task: ReviewTask, actor, at) -> ReviewTask:
    """Set the inspection date; the business's people are told (``notices``)."""
    task = task_lock_for_inspection(task=task, actor=actor)
    if at <= timezone.now():
        raise TransitionRefused(_("Choose a date and time in the future."), code="invalid")
    task.inspection_at = at
    task.save(update_fields=["inspection_at"])
    notices.inspection_scheduled(task=task)
    logger.info("inspection_scheduled task_id=%s", task.pk)
    return task


@transaction.atomic
def task_record_inspection(*, task: ReviewTask, actor, checklist_results: dict,
                           findings: str) -> ReviewTask:
    """Record the checklist (a result for every item of the step) and the findings."""
    task = task_lock_for_inspection(task=task, actor=actor)
    if task.inspection_at is None:
        raise TransitionRefused(_("Schedule the inspection first."),
                                code="inspection_incomplete")
    findings = findings.strip()
    if not findings:
        raise TransitionRefused(_("Write down the findings of the inspection."),
                                code="findings_required")
    results = {str(key): str(value) for key, value in checklist_results.items()}
    expected = {item.key for item in checklist_items(task.step.checklist)}
    if set(results) != expected or not set(results.values()) <= set(CheckResult.values):
        raise TransitionRefused(_("Give a result for every item of the checklist."),
                                code="checklist_incomplete")
    task.checklist_results = results
    task.findings = findings
    task.save(update_fields=["checklist_results", "findings"])
    logger.info("inspection_recorded task_id=%s", task.pk)
    return task


def task_decide(*, task: ReviewTask, actor, decision: str, message: str = "",
                conditions: str = "", documents_to_replace=()) -> ReviewTask:
    """Approve, request changes or reject. Of two reviewers deciding at once, exactly one wins;
    the other gets ``TransitionRefused(code="already_decided")``."""
    if decision not in Decision.values:
        raise ValueError(f"unknown decision {decision!r}")
    with transaction.atomic():
        application, task = _lock_for_work(task, actor)
        message = message.strip()
        if decision in (Decision.REJECT, Decision.REQUEST_CHANGES) and not message:
            raise TransitionRefused(_("Give the reason for your decision."), code="reason_required")
        if (decision == Decision.APPROVE and task.step.is_inspection
                and not (task.inspection_at and task.findings)):
            raise TransitionRefused(
                _("Schedule the inspection and record the findings before approving."),
                code="inspection_incomplete",
            )
        documents = list(documents_to_replace) if decision == Decision.REQUEST_CHANGES else []
        if any(doc.permit_type_id != application.permit_type_id for doc in documents):
            raise TransitionRefused(
                _("Only documents this permit requires can be asked for again."), code="invalid"
            )
        task.message = message
        task.conditions = conditions.strip() if decision == Decision.APPROVE else ""
        now = timezone.now()
        if decision == Decision.APPROVE:
            fsm_apply(instance=task, transition="approve", actor=actor, note=message,
                      application=application, by=actor, at=now)
            _after_approval(application, actor)
        elif decision == Decision.REQUEST_CHANGES:
            fsm_apply(instance=task, transition="request_changes", actor=actor, note=message,
                      application=application, by=actor, at=now)
            # The step's clock stops with the application's: its next round keeps what is left.
            task.days_left_at_return = office_calendar().days_left(now, task.due_at)
            task.save(update_fields=["days_left_at_return"])
            task.documents_to_replace.set(documents)
            _close_step(application, task, keep_current=False)
            licensing_services.application_transition(
                application=application, transition="request_changes", actor=actor, note=message
            )
        else:
            fsm_apply(instance=task, transition="reject", actor=actor, note=message,
                      application=application, by=actor, at=now)
            _close_step(application, task, keep_current=True)
            licensing_services.application_transition(
                application=application, transition="reject", actor=actor, note=message
            )
    return task


def may_reassign(*, task: ReviewTask, user) -> bool:
    """The head of office, or the supervisor of the task's unit."""
    if roles.in_group(user, roles.HEAD_OF_OFFICE):
        return True
    unit = getattr(task.group, "review_unit", None)
    return unit is not None and unit.supervisor_id == user.pk


@transaction.atomic
def task_reassign(*, task: ReviewTask, actor, to) -> ReviewTask:
    """Hand a pending task to one reviewer of its group, who is told. The four-eyes rules hold
    for the new reviewer as for one who claims the task."""
    application, task = _lock(task)
    if not may_reassign(task=task, user=actor):
        raise TransitionRefused(_("Only the head of office or the unit's supervisor may "
                                  "reassign a task."), code="permission_denied")
    _refuse_unless_pending(task)
    _refuse_unless_in_review(application)
    if to is None or not to.is_active:
        raise TransitionRefused(_("Choose a reviewer."), code="invalid")
    _refuse_unless_allowed(task, to)
    if task.state == TaskState.CLAIMED and task.assignee_id == to.pk:
        return task
    fsm_apply(instance=task, transition="reassign", actor=actor, application=application,
              note=to.full_name, to=to)
    entry = TransitionLog.objects.filter(application=application, object_id=task.pk,
                                         transition="reassign").order_by("-pk").first()
    notices.task_reassigned(task=task, entry_id=entry.pk)
    logger.info("review_task_reassigned task_id=%s to_user_id=%s", task.pk, to.pk)
    return task


def _after_approval(application: Application, actor) -> None:
    if review_open_next_step(application=application):
        return
    if _current_step(application) is None:
        licensing_services.application_transition(
            application=application, transition="approve", actor=actor
        )


def review_cancel_pending(*, application: Application) -> int:
    """The application left review (withdrawn, say): its pending tasks leave every inbox."""
    pending = application.review_tasks.filter(state__in=sorted(PENDING)).select_for_update()
    for task in pending:
        fsm_apply(instance=task, transition="cancel", actor=None, application=application)
    return len(pending)


def _close_step(application: Application, decided: ReviewTask, *, keep_current: bool) -> None:
    """Cancel the other pending tasks of the step; after a change request the whole step is
    reviewed again, so its tasks stop being current."""
    siblings = application.review_tasks.filter(step=decided.step, is_current=True).exclude(
        pk=decided.pk
    )
    for sibling in siblings.select_for_update():
        if sibling.state in PENDING:
            fsm_apply(instance=sibling, transition="cancel", actor=None,
                      application=application)
    if not keep_current:
        application.review_tasks.filter(step=decided.step, is_current=True).update(
            is_current=False
        )

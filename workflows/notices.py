"""What review and its deadlines tell people: the business about its application's review, the
reviewers about their tasks, the head of office about what runs late. Each notice goes through
``notifications.services.notify`` inside the transaction of its event, keyed so it is sent once.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from licensing import roles
from licensing.models import Application
from notifications.services import notify
from workflows.models import ApplicationClock, ReviewTask, TransitionLog, unit_name


def _when(moment):
    """A date and time, written in each recipient's language when the notice is rendered."""
    return lazy(formats.date_format, str)(timezone.localtime(moment), "j F Y H:i")


def _business_people(application: Application):
    return application.business.members.filter(is_active=True)


def _task_people(task: ReviewTask):
    """The reviewer who took the task, else everyone in its group."""
    if task.assignee_id and task.assignee.is_active:
        return [task.assignee]
    return task.group.user_set.filter(is_active=True)


def _overseers(task: ReviewTask):
    """The head of office, and the unit's supervisor where one is set."""
    people = list(get_user_model().objects.filter(groups__name=roles.HEAD_OF_OFFICE,
                                                  is_active=True))
    unit = getattr(task.group, "review_unit", None)
    if unit is not None and unit.supervisor_id and unit.supervisor.is_active:
        people.append(unit.supervisor)
    return people


def _clock(application: Application) -> ApplicationClock | None:
    return ApplicationClock.objects.filter(application=application).first()


# The business, as its application moves. Keyed by the audit entry of the move: once each.

APPLICATION_NOTICES = {
    "start_review": (
        "application.in_review",
        _("Application %(reference)s is in review"),
        _("Your application %(reference)s for %(permit)s is complete and in review. By the "
          "service standard the office decides within %(days)s working days, by %(due)s."),
    ),
    "resubmit": (
        "application.resubmitted",
        _("Changes to %(reference)s received"),
        _("We received the changes to your application %(reference)s. The review continues; "
          "the office decides by %(due)s."),
    ),
    "request_changes": (
        "application.changes_requested",
        _("Changes requested on %(reference)s"),
        _("The office asks you to change your application %(reference)s: %(note)s\n\nMake the "
          "changes by %(correction_due)s; after that the application lapses."),
    ),
    "reject": (
        "application.rejected",
        _("Application %(reference)s rejected"),
        _("Your application %(reference)s for %(permit)s was rejected. Reason: %(note)s"),
    ),
    "approve": (
        "application.approved",
        _("Application %(reference)s approved"),
        _("Your application %(reference)s for %(permit)s is approved. If the permit has a "
          "levy, the bill follows; then the signed permit."),
    ),
    "approve_by_law": (
        "application.approved_by_law",
        _("Application %(reference)s approved by operation of law"),
        _("The office did not decide your application %(reference)s within the service "
          "standard of %(days)s working days, so it is approved by operation of law (fiktif "
          "positif), under %(note)s. Your permit will say so."),
    ),
    "lapse": (
        "application.lapsed",
        _("Application %(reference)s lapsed"),
        _("The changes requested to your application %(reference)s were not made in time, so "
          "the application lapsed. You may apply again."),
    ),
}
APPLICATION_NOTICES["approve_without_review"] = APPLICATION_NOTICES["approve"]


def application_moved(*, application: Application) -> None:
    """Tell the business what the move that just happened means for it."""
    entry = (TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=application.pk,
    ).order_by("-pk").first())
    if entry is None or entry.transition not in APPLICATION_NOTICES:
        return
    kind, subject, body = APPLICATION_NOTICES[entry.transition]
    clock = _clock(application)
    params = {
        "reference": application.reference,
        "permit": lazy(lambda: application.permit_type.name, str)(),
        "days": clock.standard_days if clock else application.permit_type.service_standard_days,
        "due": _when(clock.decision_due_at) if clock and clock.decision_due_at else "-",
        "correction_due": (_when(clock.correction_due_at)
                           if clock and clock.correction_due_at else "-"),
        "note": entry.note,
    }
    notify(recipients=_business_people(application), event_key=f"application-move:{entry.pk}",
           kind=kind, subject=subject, body=body, params=params,
           url=reverse("application_detail", args=[application.pk]))


def standard_missed(*, application: Application, clock: ApplicationClock) -> None:
    """The standard ran out on a type without approval by operation of law."""
    heads = get_user_model().objects.filter(groups__name=roles.HEAD_OF_OFFICE, is_active=True)
    notify(
        recipients=heads,
        event_key=f"application:{application.pk}:standard-missed:{clock.decision_due_at:%Y%m%d}",
        kind="application.standard_missed",
        subject=_("Service standard missed: %(reference)s"),
        body=_("Application %(reference)s was not decided within its service standard of "
               "%(days)s working days (due %(due)s)."),
        params={"reference": application.reference, "days": clock.standard_days,
                "due": _when(clock.decision_due_at)},
        url=reverse("review_overview"),
    )


def inspection_scheduled(*, task: ReviewTask) -> None:
    application = task.application
    notify(
        recipients=_business_people(application),
        event_key=f"task:{task.pk}:inspection:{task.inspection_at:%Y%m%d%H%M}",
        kind="application.inspection_scheduled",
        subject=_("Site inspection for %(reference)s"),
        body=_("The site inspection for application %(reference)s is scheduled for %(when)s. "
               "Please make sure someone can receive the inspectors at %(address)s."),
        params={"reference": application.reference, "when": _when(task.inspection_at),
                "address": application.business.street_address},
        url=reverse("application_detail", args=[application.pk]),
    )


# Reviewers and the people who oversee them.


def _task_params(task: ReviewTask) -> dict:
    return {"reference": task.application.reference, "step": task.step.name,
            "unit": unit_name(task.group), "due": _when(task.due_at)}


def task_opened(*, task: ReviewTask) -> None:
    notify(recipients=task.group.user_set.filter(is_active=True),
           event_key=f"task:{task.pk}:opened", kind="task.opened",
           subject=_("New review task: %(reference)s"),
           body=_("%(step)s of application %(reference)s waits for %(unit)s, due %(due)s."),
           params=_task_params(task), url=reverse("task_detail", args=[task.pk]))


def task_due_soon(*, task: ReviewTask, alert: str) -> None:
    notify(recipients=_task_people(task),
           event_key=f"task:{task.pk}:{task.due_at:%Y%m%d%H%M}:{alert}", kind="task.due_soon",
           subject=_("Review task due %(due)s: %(reference)s"),
           body=_("%(step)s of application %(reference)s (%(unit)s) is due %(due)s."),
           params=_task_params(task), url=reverse("task_detail", args=[task.pk]))


def task_overdue(*, task: ReviewTask) -> None:
    key = f"task:{task.pk}:{task.due_at:%Y%m%d%H%M}:overdue"
    params = _task_params(task)
    notify(recipients=_task_people(task), event_key=key, kind="task.overdue",
           subject=_("Review task overdue: %(reference)s"),
           body=_("%(step)s of application %(reference)s (%(unit)s) was due %(due)s. The head "
                  "of office has been told."),
           params=params, url=reverse("task_detail", args=[task.pk]))
    notify(recipients=_overseers(task), event_key=key, kind="task.escalated",
           subject=_("Escalated: %(reference)s is overdue at %(unit)s"),
           body=_("%(step)s of application %(reference)s (%(unit)s) was due %(due)s and is not "
                  "decided. You may reassign it from the overview."),
           params=params, url=reverse("review_overview"))


def task_reassigned(*, task: ReviewTask, entry_id: int) -> None:
    notify(recipients=[task.assignee], event_key=f"task:{task.pk}:reassigned:{entry_id}",
           kind="task.reassigned",
           subject=_("Review task assigned to you: %(reference)s"),
           body=_("%(step)s of application %(reference)s (%(unit)s) is now yours, due %(due)s."),
           params=_task_params(task), url=reverse("task_detail", args=[task.pk]))


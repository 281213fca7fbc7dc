"""An application's history, told to whoever reads its page.

The office reads every audit entry: each review task opened, taken up, put back and decided, by
name. The business reads what happened to it, in its own words ("You submitted the
application", "Public Works Office asked for changes", "Bill issued: Rp 150.000", "Paid",
"Permit issued"). The office's own work (a task taken up, put back or reassigned, a payment
attempt at the gateway) is left out of the business's story, and so is an entry that only
repeats another one said at the same moment (the application's "changes requested" beside the
step that asked for them). Every move of every machine has a decision here, label or left out;
tests/licensing/test_timeline.py fails when a new one has none.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from licensing.formats import rupiah
from licensing.models import Application
from licensing.states import ApplicationState
from workflows.models import ReviewTask, ReviewUnit, TransitionLog, unit_name


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    label: str
    actor: str = ""
    note: str = ""
    # "<model>.<move>" (application.submit, reviewtask.approve, invoice.issue…): what the page
    # marks each entry with, whatever the language of its label.
    event: str = ""


def application_timeline(*, application) -> QuerySet[TransitionLog]:
    return application.audit_entries.select_related("actor", "content_type").order_by(
        "created_at", "pk"
    )


def application_timeline_for_user(*, application: Application, user) -> list[TimelineEntry]:
    """Every step with its date: the business's story to its people, the audit trail to the
    office."""
    members = set(application.business.memberships.values_list("user_id", flat=True))
    if user.pk in members:
        return _business_timeline(application, members)
    return _office_timeline(application)


# The office's reading.

# What a task's transition means to a reader of the timeline. An application's own moves show
# its new state.
TASK_EVENTS = {
    "claim": _("taken up by a reviewer"),
    "release": _("returned to the queue"),
    "approve": _("approved"),
    "request_changes": _("changes requested"),
    "reject": _("rejected"),
    "cancel": _("closed without a decision"),
    "reassign": _("assigned to a reviewer by the head of office"),
}
# Application moves whose new state alone would not say what happened.
APPLICATION_EVENTS = {
    "approve_by_law": _("Approved by operation of law (fiktif positif)"),
    "lapse": _("Lapsed: the requested changes were not made in time"),
}
STATUS_CHANGED = _("Status changed")


def _office_timeline(application: Application) -> list[TimelineEntry]:
    def actor_name(actor) -> str:
        return str(_("System")) if actor is None else actor.full_name

    started = (_("Application filed at the counter") if application.filed_at_counter
               else _("Application started"))
    entries = [TimelineEntry(at=application.created_at, label=str(started),
                             actor=actor_name(application.created_by), event="application.create")]
    tasks = _tasks(application)
    entries += [
        TimelineEntry(
            at=task.created_at,
            label=_("%(step)s (%(unit)s): review opened, due %(due)s") % {
                "step": task.step.name, "unit": unit_name(task.group),
                "due": formats.date_format(timezone.localtime(task.due_at), "j F Y"),
            },
            event="reviewtask.open",
        )
        for task in tasks.values()
    ]
    application_type = ContentType.objects.get_for_model(Application)
    task_type = ContentType.objects.get_for_model(ReviewTask)
    # Bills (payments.Invoice), by their number and the state each entry moved them to.
    bills = dict(application.invoices.values_list("pk", "number"))
    for log in application_timeline(application=application):
        if log.content_type_id == application_type.pk:
            label = str(APPLICATION_EVENTS.get(log.transition, ApplicationState(log.target).label))
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
                                     note=log.note, event=_event(log)))
    return sorted(entries, key=lambda entry: entry.at)


# The business's reading. Per model (app label, model name), per move: its sentence, or None
# where it is the office's own work or another entry of the same moment tells it. A model
# mapped to None is left out whole.

BUSINESS_EVENTS = {
    ("licensing", "application"): {
        "submit": _("You submitted the application"),
        "start_review": _("The office started the review"),
        "request_changes": None,  # the step's entry: who asked, and why
        "resubmit": _("You sent the changes for review"),
        "approve": _("Approved"),
        "approve_by_law": _("Approved by operation of law (fiktif positif)"),
        "lapse": _("Lapsed: the requested changes were not made in time"),
        "approve_without_review": _("Approved"),
        "reject": None,  # the step's entry: who rejected, and why
        "request_payment": None,  # the bill's entry: how much
        "confirm_payment": _("Paid"),
        "expire": None,  # the bill's entry
        "reissue": None,  # the new bill's entry
        "issue": _("Permit issued"),
        "withdraw": _("You withdrew the application"),
    },
    ("workflows", "reviewtask"): {
        "claim": None,
        "release": None,
        "reassign": None,
        "cancel": None,
        "approve": _("%(unit)s approved: %(step)s"),
        "request_changes": _("%(unit)s asked for changes: %(step)s"),
        "reject": _("%(unit)s rejected the application: %(step)s"),
    },
    ("payments", "invoice"): {
        "issue": _("Bill issued: %(amount)s (%(number)s)"),
        "settle": None,  # the application's "Paid"
        "expire": _("Bill %(number)s was not paid in time"),
        "cancel": _("Bill %(number)s cancelled"),
    },
    # Attempts at paying: the gateway's business; the bill and "Paid" tell the story.
    ("payments", "payment"): None,
    ("payments", "refund"): {
        "prepare": None,
        "approve": None,
        "reject": None,
        "send": None,
        "succeed": _("A refund was paid to you"),
        "fail": None,
    },
    ("licensing", "permit"): {
        "suspend": _("Permit suspended"),
        "reinstate": _("Permit reinstated"),
        "revoke": _("Permit revoked"),
        "surrender": _("You gave up the permit"),
        "expire": _("Permit expired"),
        "supersede": _("Permit replaced by a newer one"),
    },
}
# Said by the office or a colleague rather than by "you".
BUSINESS_EVENTS_BY_OTHERS = {
    "submit": _("The application was submitted"),
    "resubmit": _("The changes were sent for review"),
    "withdraw": _("The application was withdrawn"),
}
TASK_OPENED = _("%(unit)s started reviewing: %(step)s")


def _business_timeline(application: Application, members: set[int]) -> list[TimelineEntry]:
    tasks = _tasks(application)

    def step_words(task) -> dict:
        return {"step": task.step.name, "unit": _unit_for_business(task.group)}

    def member_name(actor) -> str:
        # The office's people stay "the office"; the label says which unit acted.
        return actor.full_name if actor is not None and actor.pk in members else ""

    started = (_("The office filed the application at the counter for you")
               if application.filed_at_counter else _("You started the application"))
    entries = [TimelineEntry(at=application.created_at, label=str(started),
                             actor=member_name(application.created_by),
                             event="application.create")]
    entries += [
        TimelineEntry(at=task.created_at, label=TASK_OPENED % step_words(task),
                      event="reviewtask.open")
        for task in tasks.values()
    ]
    bills = {pk: {"number": number, "amount": rupiah(total or 0)}
             for pk, number, total in application.invoices.annotate(total=Sum("lines__amount"))
             .values_list("pk", "number", "total")}
    for log in application_timeline(application=application):
        key = (log.content_type.app_label, log.content_type.model)
        sentence = (BUSINESS_EVENTS.get(key) or {}).get(log.transition)
        if sentence is None:
            continue
        if key == ("licensing", "application"):
            by_member = log.actor is not None and log.actor.pk in members
            label = str(sentence if by_member
                        else BUSINESS_EVENTS_BY_OTHERS.get(log.transition, sentence))
        elif key == ("workflows", "reviewtask"):
            if log.object_id not in tasks:
                continue
            label = sentence % step_words(tasks[log.object_id])
        elif key == ("payments", "invoice"):
            if log.object_id not in bills:
                continue
            label = sentence % bills[log.object_id]
        else:
            label = str(sentence)
        entries.append(TimelineEntry(
            at=log.created_at, label=label, actor=member_name(log.actor),
            # What the system writes down is for the audit, not for the business.
            note=log.note if log.actor is not None else "", event=_event(log),
        ))
    return sorted(entries, key=lambda entry: entry.at)


def _unit_for_business(group) -> str:
    """The unit's public name; a group nobody has named yet is "the office", never its code."""
    try:
        return group.review_unit.name
    except ReviewUnit.DoesNotExist:
        return str(_("The licensing office"))


def _tasks(application: Application) -> dict[int, ReviewTask]:
    return {t.pk: t for t in application.review_tasks.select_related("step", "group__review_unit")}


def _event(log: TransitionLog) -> str:
    return f"{log.content_type.model}.{log.transition}"

"""Legal deadlines that run themselves: the service-standard clock (started on complete
submission, stopped during requested changes, resumed with the days already used), approval by
operation of law (fiktif positif) up to the signed permit that says so, the lapse after the
correction deadline, and reminders and escalations sent once however often the sweep runs.

Time travels to a fixed office week (January 2027 has no holiday between the 6th and the 29th)
instead of waiting; the sweep is the one beat runs."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from licensing import services as licensing_services
from licensing.models import Application, Permit
from licensing.states import ApplicationState
from notifications.models import Notification
from tests.documents.pdf_tools import pdf_text
from tests.factories import PermitTypeFactory, ReviewUnitFactory, UserFactory
from tests.lifecycle import draft, submitted
from tests.workflows.support import pending_task
from workflows import services as review
from workflows.deadlines import deadlines_sweep
from workflows.machine import TransitionRefused
from workflows.models import ApplicationClock, ReviewTask, TransitionLog
from workflows.selectors import application_timeline_for_user
from workflows.states import TaskState
from workflows.tasks import deadlines_sweep as deadlines_sweep_task

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def sweep(moment: datetime) -> dict[str, int]:
    with time_machine.travel(moment, tick=False):
        return deadlines_sweep()


def submit_at(moment: datetime, **type_fields):
    type_fields.setdefault("steps", ["agency_a"])
    permit_type = PermitTypeFactory(**type_fields)
    with time_machine.travel(moment, tick=False):
        application, owner = submitted(permit_type=permit_type)
    return application, owner


def clock_of(application) -> ApplicationClock:
    return ApplicationClock.objects.get(application=application)


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk")
                .values_list("kind", flat=True))


# The clock.


def test_the_clock_runs_from_complete_submission():
    application, owner = submit_at(at(2027, 1, 11, 10), service_standard_days=5)
    clock = clock_of(application)
    assert clock.standard_days == 5
    # Received Monday 11 January; five working days: 12, 13, 14, 15, 18.
    assert clock.decision_due_at == at(2027, 1, 18, 16)
    assert kinds(owner) == ["application.in_review"]


def test_a_draft_has_no_clock():
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, _owner = draft(permit_type=permit_type)
    assert not ApplicationClock.objects.filter(application=application).exists()


def test_the_clock_stops_for_requested_changes_and_resumes_with_the_days_already_used():
    application, owner = submit_at(at(2027, 1, 11, 10), steps=["agency_a", "agency_b"],
                                   service_standard_days=5, correction_days=3)
    first = pending_task(application, "agency_a")
    assert first.due_at == at(2027, 1, 14, 16)  # the step's SLA of three working days
    with time_machine.travel(at(2027, 1, 13, 10), tick=False):  # Wednesday
        review.task_decide(task=first, actor=UserFactory(groups=["agency_a"]),
                           decision="request_changes", message="Foto lokasi kurang jelas.")

    clock = clock_of(application)
    # Used: Tuesday 12 and Wednesday 13. Left: Thursday 14, Friday 15, Monday 18.
    assert clock.decision_due_at is None and clock.days_left == 3
    # The business has its own deadline: three working days, to Monday 18 at closing.
    assert clock.correction_due_at == at(2027, 1, 18, 16)
    assert "application.changes_requested" in kinds(owner)

    # A week later the business makes the changes: the clock resumes with three days left.
    with time_machine.travel(at(2027, 1, 18, 9), tick=False):
        licensing_services.application_resubmit(application=application, actor=owner)
    clock.refresh_from_db()
    assert clock.days_left is None and clock.correction_due_at is None
    assert clock.decision_due_at == at(2027, 1, 21, 16)  # 19, 20, 21
    # The step sent back keeps the one day it had left, not a fresh SLA of three.
    assert pending_task(application, "agency_a").due_at == at(2027, 1, 19, 16)


def test_the_clock_ends_with_the_decision():
    application, _owner = submit_at(at(2027, 1, 11, 10))
    with time_machine.travel(at(2027, 1, 12, 10), tick=False):
        review.task_decide(task=pending_task(application, "agency_a"),
                           actor=UserFactory(groups=["agency_a"]), decision="reject",
                           message="Lokasi di jalur hijau.")
    assert clock_of(application).stopped_at == at(2027, 1, 12, 10)
    # Decided on the first working day after receipt: one day used, within the standard.
    assert clock_of(application).working_days_used == 1
    assert clock_of(application).within_standard is True
    assert sweep(at(2027, 3, 1, 10)) == {"approved_by_law": 0, "standard_missed": 0,
                                         "lapsed": 0, "reminded": 0, "escalated": 0}
    application.refresh_from_db()
    assert application.state == ApplicationState.REJECTED


# Approval by operation of law.


def test_fiktif_positif_approves_once_through_the_one_door_and_ends_in_a_permit_that_says_so(
    django_capture_on_commit_callbacks, tmp_path
):
    application, owner = submit_at(at(2027, 1, 11, 10), steps=["agency_a", "agency_b"],
                                   service_standard_days=5)
    reviewer = UserFactory(groups=["agency_a"])
    with time_machine.travel(at(2027, 1, 12, 10), tick=False):
        review.task_claim(task=pending_task(application, "agency_a"), actor=reviewer)

    # Before the deadline (Monday 18, 16:00) nothing happens.
    assert sweep(at(2027, 1, 18, 15, 59))["approved_by_law"] == 0
    # Izin was down over the deadline; the first sweep after it acts, and a second does not.
    with django_capture_on_commit_callbacks(execute=True):
        first = sweep(at(2027, 1, 20, 9))
    second = sweep(at(2027, 1, 20, 9, 5))
    assert first["approved_by_law"] == 1 and second["approved_by_law"] == 0

    application.refresh_from_db()
    assert application.approved_by_law
    assert application.state == ApplicationState.ISSUED  # a free type: issued at once
    # The one door: the system acted, with the legal basis in the audit trail.
    entry = TransitionLog.objects.get(
        content_type=ContentType.objects.get_for_model(Application), object_id=application.pk,
        transition="approve_by_law")
    assert entry.actor is None and "Undang-Undang Nomor 30 Tahun 2014" in entry.note
    # The claimed task of the step in progress left the inbox; no later step was opened.
    assert list(application.review_tasks.values_list("state", flat=True)) == [
        TaskState.CANCELLED]
    # The timeline, the notification and the permit say so.
    with translation.override("en"):
        labels = [e.label for e in application_timeline_for_user(application=application,
                                                                 user=owner)]
    assert "Approved by operation of law (fiktif positif)" in labels
    assert Notification.objects.filter(recipient=owner, kind="application.approved_by_law",
                                       body__contains="fiktif positif").count() == 1
    permit = Permit.objects.get(application=application)
    with permit.file.open("rb") as handle:
        text = " ".join(pdf_text(tmp_path, handle.read()).split())
    assert "disetujui demi hukum (fiktif positif)" in text
    assert "approved by operation of law" in text
    assert "Undang-Undang Nomor 30 Tahun 2014" in text


def test_fiktif_positif_is_not_stopped_by_a_rejection_being_written_or_an_open_inspection():
    application, _owner = submit_at(at(2027, 1, 11, 10), service_standard_days=2)
    task = pending_task(application, "agency_a")
    reviewer = UserFactory(groups=["agency_a"])
    review.task_claim(task=task, actor=reviewer)
    sweep(at(2027, 1, 13, 16, 1))
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED
    # The reviewer's rejection, sent a minute late, is refused: the law decided.
    with pytest.raises(TransitionRefused):
        review.task_decide(task=task, actor=reviewer, decision="reject", message="Terlambat.")


def test_a_paid_type_approved_by_law_is_billed_as_for_any_approval():
    application, _owner = submit_at(at(2027, 1, 11, 10), service_standard_days=2,
                                    paid_after_approval=True)
    sweep(at(2027, 1, 14, 9))
    application.refresh_from_db()
    assert application.state == ApplicationState.AWAITING_PAYMENT
    assert application.invoices.count() == 1


def test_without_fiktif_positif_the_head_of_office_is_told_once_and_nothing_is_decided():
    head = UserFactory(groups=["head_of_office"])
    application, _owner = submit_at(at(2027, 1, 11, 10), service_standard_days=2,
                                    approved_by_law=False)
    assert sweep(at(2027, 1, 14, 9))["standard_missed"] == 1
    assert sweep(at(2027, 1, 14, 10))["standard_missed"] == 0
    application.refresh_from_db()
    assert application.state == ApplicationState.IN_REVIEW
    assert kinds(head).count("application.standard_missed") == 1


# The business's own deadline.


def test_an_application_not_corrected_in_time_lapses_with_a_notice():
    application, owner = submit_at(at(2027, 1, 11, 10), correction_days=2)
    with time_machine.travel(at(2027, 1, 12, 10), tick=False):
        review.task_decide(task=pending_task(application, "agency_a"),
                           actor=UserFactory(groups=["agency_a"]),
                           decision="request_changes", message="Lengkapi denah.")
    assert sweep(at(2027, 1, 14, 15))["lapsed"] == 0  # due Thursday 14 at 16:00
    assert sweep(at(2027, 1, 14, 16, 1))["lapsed"] == 1
    assert sweep(at(2027, 1, 14, 16, 2))["lapsed"] == 0
    application.refresh_from_db()
    assert application.state == ApplicationState.LAPSED
    assert kinds(owner).count("application.lapsed") == 1
    with pytest.raises(TransitionRefused):
        licensing_services.application_resubmit(application=application, actor=owner)


def test_changes_made_in_time_do_not_lapse():
    application, owner = submit_at(at(2027, 1, 11, 10), correction_days=2)
    with time_machine.travel(at(2027, 1, 12, 10), tick=False):
        review.task_decide(task=pending_task(application, "agency_a"),
                           actor=UserFactory(groups=["agency_a"]),
                           decision="request_changes", message="Lengkapi denah.")
    with time_machine.travel(at(2027, 1, 13, 10), tick=False):
        licensing_services.application_resubmit(application=application, actor=owner)
    assert sweep(at(2027, 1, 15, 10))["lapsed"] == 0
    application.refresh_from_db()
    assert application.state == ApplicationState.IN_REVIEW


# Reminders and escalation.


def test_reviewers_are_reminded_before_the_due_day_and_on_it_then_it_escalates_once():
    reviewer = UserFactory(groups=["agency_a"])
    head = UserFactory(groups=["head_of_office"])
    supervisor = UserFactory()
    application, _owner = submit_at(at(2027, 1, 11, 10), service_standard_days=10)
    unit = ReviewUnitFactory(group=pending_task(application, "agency_a").group,
                             supervisor=supervisor)
    task = pending_task(application, "agency_a")
    assert task.due_at == at(2027, 1, 14, 16)
    assert kinds(reviewer) == ["task.opened"]

    # Two working days before (Tuesday at opening), then on the day, each once.
    assert sweep(at(2027, 1, 12, 7, 59))["reminded"] == 0
    assert sweep(at(2027, 1, 12, 8, 0))["reminded"] == 1
    assert sweep(at(2027, 1, 12, 8, 5))["reminded"] == 0
    assert sweep(at(2027, 1, 14, 8, 0))["reminded"] == 1
    assert sweep(at(2027, 1, 14, 9, 0))["reminded"] == 0
    assert kinds(reviewer) == ["task.opened", "task.due_soon", "task.due_soon"]

    # Overdue at closing on the due day: the reviewer, the head and the supervisor are told.
    assert sweep(at(2027, 1, 14, 16, 0))["escalated"] == 1
    assert sweep(at(2027, 1, 15, 9, 0))["escalated"] == 0
    assert kinds(reviewer)[-1] == "task.overdue"
    assert kinds(head) == ["task.escalated"]
    assert kinds(supervisor) == ["task.escalated"]
    task.refresh_from_db()
    assert task.escalated_at == at(2027, 1, 14, 16) and task.next_alert_at is None
    assert unit.supervisor == supervisor


def test_after_an_outage_an_overdue_task_is_escalated_without_stale_reminders():
    reviewer = UserFactory(groups=["agency_a"])
    head = UserFactory(groups=["head_of_office"])
    submit_at(at(2027, 1, 11, 10), service_standard_days=10)
    result = sweep(at(2027, 1, 19, 9))
    assert result["escalated"] == 1 and result["reminded"] == 0
    assert kinds(reviewer) == ["task.opened", "task.overdue"]
    assert kinds(head) == ["task.escalated"]


def test_a_claimed_task_reminds_only_its_reviewer_and_a_decided_one_nobody():
    claimer, other = UserFactory(groups=["agency_a"]), UserFactory(groups=["agency_a"])
    application, _owner = submit_at(at(2027, 1, 11, 10), service_standard_days=10)
    task = pending_task(application, "agency_a")
    review.task_claim(task=task, actor=claimer)
    sweep(at(2027, 1, 12, 9))
    assert kinds(claimer).count("task.due_soon") == 1
    assert kinds(other).count("task.due_soon") == 0
    review.task_decide(task=task, actor=claimer, decision="approve")
    assert sweep(at(2027, 1, 20, 9)) == {"approved_by_law": 0, "standard_missed": 0,
                                         "lapsed": 0, "reminded": 0, "escalated": 0}
    task.refresh_from_db()
    assert task.next_alert_at is None


def test_the_sweep_task_is_the_beat_entry_and_idempotent(settings):
    assert settings.CELERY_BEAT_SCHEDULE["sweep-deadlines"]["task"] == (
        "workflows.tasks.deadlines_sweep")
    submit_at(at(2027, 1, 11, 10), service_standard_days=2)
    with time_machine.travel(at(2027, 1, 14, 9), tick=False):
        assert deadlines_sweep_task.delay().get()["approved_by_law"] == 1
        assert deadlines_sweep_task.delay().get()["approved_by_law"] == 0


# Reassignment by the head of office.


def test_the_head_of_office_reassigns_an_overdue_task_and_the_new_reviewer_is_told():
    head = UserFactory(groups=["head_of_office"])
    first, second = UserFactory(groups=["agency_a"]), UserFactory(groups=["agency_a"])
    application, _owner = submit_at(at(2027, 1, 11, 10), service_standard_days=10)
    task = pending_task(application, "agency_a")
    review.task_claim(task=task, actor=first)
    sweep(at(2027, 1, 15, 9))

    review.task_reassign(task=task, actor=head, to=second)
    task.refresh_from_db()
    assert task.state == TaskState.CLAIMED and task.assignee == second
    assert kinds(second)[-1] == "task.reassigned"
    # The new reviewer can decide it; the old one no longer can.
    with pytest.raises(TransitionRefused):
        review.task_decide(task=task, actor=first, decision="approve")
    review.task_decide(task=task, actor=second, decision="approve")


def test_only_the_head_or_the_units_supervisor_reassigns_and_only_within_the_group():
    application, _owner = submit_at(at(2027, 1, 11, 10))
    task = pending_task(application, "agency_a")
    reviewer = UserFactory(groups=["agency_a"])
    with pytest.raises(TransitionRefused):
        review.task_reassign(task=task, actor=reviewer, to=reviewer)
    supervisor = UserFactory()
    ReviewUnitFactory(group=task.group, supervisor=supervisor)
    with pytest.raises(TransitionRefused):  # not in the task's group
        review.task_reassign(task=task, actor=supervisor, to=UserFactory(groups=["agency_b"]))
    review.task_reassign(task=task, actor=supervisor, to=reviewer)
    assert ReviewTask.objects.get(pk=task.pk).assignee == reviewer


def test_the_days_used_leave_out_the_business_s_changes_and_count_past_the_standard():
    application, owner = submit_at(at(2027, 1, 11, 10), steps=["agency_a"],
                                   service_standard_days=2, correction_days=10)
    with time_machine.travel(at(2027, 1, 12, 10), tick=False):  # one day used
        review.task_decide(task=pending_task(application, "agency_a"),
                           actor=UserFactory(groups=["agency_a"]),
                           decision="request_changes", message="Foto lokasi kurang jelas.")
    with time_machine.travel(at(2027, 1, 19, 9), tick=False):  # a week with the business
        licensing_services.application_resubmit(application=application, actor=owner)
    with time_machine.travel(at(2027, 1, 22, 10), tick=False):  # Wed 20, Thu 21, Fri 22
        review.task_decide(task=pending_task(application, "agency_a"),
                           actor=UserFactory(groups=["agency_a"]), decision="reject",
                           message="Lokasi di jalur hijau.")
    clock = clock_of(application)
    assert clock.working_days_used == 4  # 12, then 20, 21, 22: the standard was two
    assert clock.within_standard is False

"""What each reviewer decision does to the application and to the other tasks."""

import pytest

from documents.services import attachment_upload
from licensing import services as licensing_services
from licensing.models import Application
from licensing.states import ApplicationState as S
from tests.factories import PermitTypeFactory, RequiredDocumentFactory, UserFactory
from tests.lifecycle import Upload, pdf_bytes, submitted
from tests.workflows.support import pending_task
from workflows import services as review
from workflows.machine import TransitionRefused
from workflows.models import ReviewTask
from workflows.selectors import application_conditions
from workflows.states import TaskState

pytestmark = pytest.mark.django_db


def _fresh(application) -> Application:
    return Application.objects.get(pk=application.pk)


def _decide(application, group, decision="approve", **kwargs):
    task = pending_task(application, group)
    reviewer = UserFactory(groups=[group])
    return review.task_decide(task=task, actor=reviewer, decision=decision, **kwargs)


def test_submission_opens_one_task_for_the_first_step_only():
    permit_type = PermitTypeFactory(steps=["front_office", "agency_a"])
    application, _owner = submitted(permit_type=permit_type)
    tasks = ReviewTask.objects.filter(application=application)
    assert [(t.step.position, t.group.name, t.state) for t in tasks] == [
        (1, "front_office", TaskState.OPEN)
    ]


def test_approving_a_step_opens_the_next_and_the_last_approval_approves_the_application():
    permit_type = PermitTypeFactory(steps=["front_office", "agency_a"])
    application, _owner = submitted(permit_type=permit_type)

    _decide(application, "front_office")
    assert _fresh(application).state == S.IN_REVIEW
    assert pending_task(application, "agency_a").step.position == 2

    _decide(application, "agency_a")
    application = _fresh(application)
    assert application.state == S.APPROVED
    assert application.decided_at is not None


def test_parallel_groups_must_all_approve():
    permit_type = PermitTypeFactory(steps=[["agency_a", "agency_b"]])
    application, _owner = submitted(permit_type=permit_type)
    assert {t.group.name for t in ReviewTask.objects.filter(application=application)} == {
        "agency_a", "agency_b"
    }

    _decide(application, "agency_a")
    assert _fresh(application).state == S.IN_REVIEW
    assert pending_task(application, "agency_b").state == TaskState.OPEN

    _decide(application, "agency_b")
    assert _fresh(application).state == S.APPROVED


def test_conditions_of_approval_are_kept_for_the_permit():
    permit_type = PermitTypeFactory(steps=["agency_a", "agency_b"])
    application, _owner = submitted(permit_type=permit_type)
    _decide(application, "agency_a", conditions="  Jam operasional 08.00-22.00  ")
    _decide(application, "agency_b")

    conditions = application_conditions(application)
    assert [c.text for c in conditions] == ["Jam operasional 08.00-22.00"]
    assert conditions[0].group_name == "agency_a"


def test_conditions_are_not_kept_on_a_refusal():
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type)
    _decide(application, "agency_a", decision="reject", message="Lokasi di jalur hijau",
            conditions="should not travel")
    assert application_conditions(application) == []


def test_request_changes_names_the_documents_to_replace():
    permit_type = PermitTypeFactory(steps=["agency_a"])
    site_plan = RequiredDocumentFactory(permit_type=permit_type)
    RequiredDocumentFactory(permit_type=permit_type)
    application, _owner = submitted(permit_type=permit_type)

    _decide(application, "agency_a", decision="request_changes",
            message="Gambar denah tidak terbaca", documents_to_replace=[site_plan])

    application = _fresh(application)
    assert application.state == S.CHANGES_REQUESTED
    request = application.latest_change_request()
    assert request.message == "Gambar denah tidak terbaca"
    assert list(request.documents_to_replace.all()) == [site_plan]


def test_request_changes_refuses_documents_of_another_permit_type():
    permit_type = PermitTypeFactory(steps=["agency_a"])
    foreign = RequiredDocumentFactory()
    application, _owner = submitted(permit_type=permit_type)
    with pytest.raises(TransitionRefused) as refused:
        _decide(application, "agency_a", decision="request_changes", message="Ganti",
                documents_to_replace=[foreign])
    assert refused.value.code == "invalid"
    assert _fresh(application).state == S.IN_REVIEW
    assert pending_task(application, "agency_a").state == TaskState.OPEN


def test_resubmission_needs_new_versions_then_reopens_the_step_for_all_its_groups():
    permit_type = PermitTypeFactory(steps=["front_office", ["agency_a", "agency_b"]])
    site_plan = RequiredDocumentFactory(permit_type=permit_type)
    application, owner = submitted(permit_type=permit_type)
    _decide(application, "front_office")
    _decide(application, "agency_a")
    _decide(application, "agency_b", decision="request_changes", message="Denah kurang jelas",
            documents_to_replace=[site_plan])
    assert _fresh(application).state == S.CHANGES_REQUESTED

    with pytest.raises(TransitionRefused) as refused:
        licensing_services.application_resubmit(application=_fresh(application), actor=owner)
    assert refused.value.code == "incomplete"
    assert _fresh(application).state == S.CHANGES_REQUESTED

    attachment_upload(application=application, requirement=site_plan, actor=owner,
                      uploaded_file=Upload(pdf_bytes("v2"), "denah-v2.pdf"))
    licensing_services.application_resubmit(application=_fresh(application), actor=owner)

    application = _fresh(application)
    assert application.state == S.IN_REVIEW
    assert list(application.attachments.filter(requirement=site_plan)
                .values_list("version", flat=True).order_by("version")) == [1, 2]
    # Both groups of the step review again, although agency_a had approved; step 1 stands.
    reopened = ReviewTask.objects.filter(application=application, state=TaskState.OPEN)
    assert {(t.step.position, t.group.name) for t in reopened} == {
        (2, "agency_a"), (2, "agency_b")
    }
    assert ReviewTask.objects.get(application=application, step__position=1).is_current
    _decide(application, "agency_a")
    _decide(application, "agency_b")
    assert _fresh(application).state == S.APPROVED


def test_reject_rejects_the_application_and_cancels_the_sibling_tasks():
    permit_type = PermitTypeFactory(steps=[["agency_a", "agency_b"]])
    application, _owner = submitted(permit_type=permit_type)
    sibling = pending_task(application, "agency_b")

    _decide(application, "agency_a", decision="reject", message="Tidak sesuai tata ruang")

    assert _fresh(application).state == S.REJECTED
    sibling.refresh_from_db()
    assert sibling.state == TaskState.CANCELLED
    with pytest.raises(TransitionRefused) as refused:
        review.task_decide(task=sibling, actor=UserFactory(groups=["agency_b"]),
                           decision="approve")
    assert refused.value.code == "already_decided"


@pytest.mark.parametrize("decision", ["reject", "request_changes"])
def test_a_reason_is_required_to_reject_or_request_changes(decision):
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type)
    with pytest.raises(TransitionRefused) as refused:
        _decide(application, "agency_a", decision=decision, message="   ")
    assert refused.value.code == "reason_required"
    assert _fresh(application).state == S.IN_REVIEW
    assert pending_task(application, "agency_a").state == TaskState.OPEN


def test_a_decided_task_cannot_be_decided_again():
    permit_type = PermitTypeFactory(steps=["agency_a", "agency_b"])
    application, _owner = submitted(permit_type=permit_type)
    task = pending_task(application, "agency_a")
    first = UserFactory(groups=["agency_a"])
    review.task_decide(task=task, actor=first, decision="approve")
    with pytest.raises(TransitionRefused) as refused:
        review.task_decide(task=task, actor=UserFactory(groups=["agency_a"]),
                           decision="reject", message="terlambat")
    assert refused.value.code == "already_decided"
    assert first.full_name in str(refused.value.message)
    task.refresh_from_db()
    assert (task.state, task.decided_by) == (TaskState.APPROVED, first)


def test_claim_and_release():
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type)
    task = pending_task(application, "agency_a")
    alice, bob = UserFactory(groups=["agency_a"]), UserFactory(groups=["agency_a"])

    review.task_claim(task=task, actor=alice)
    task.refresh_from_db()
    assert (task.state, task.assignee) == (TaskState.CLAIMED, alice)
    for act in (review.task_claim, review.task_release):
        with pytest.raises(TransitionRefused) as refused:
            act(task=task, actor=bob)
        assert refused.value.code == "claimed"
    with pytest.raises(TransitionRefused) as refused:
        review.task_decide(task=task, actor=bob, decision="approve")
    assert refused.value.code == "claimed"

    review.task_release(task=task, actor=alice)
    task.refresh_from_db()
    assert (task.state, task.assignee) == (TaskState.OPEN, None)
    review.task_decide(task=task, actor=bob, decision="approve")
    assert _fresh(application).state == S.APPROVED


def test_tasks_of_a_withdrawn_application_cannot_be_worked_on():
    permit_type = PermitTypeFactory(steps=["agency_a", "agency_b"])
    application, owner = submitted(permit_type=permit_type)
    task = pending_task(application, "agency_a")
    licensing_services.application_withdraw(application=application, actor=owner, note="batal")
    for act in (review.task_claim, review.task_decide):
        kwargs = {"decision": "approve"} if act is review.task_decide else {}
        with pytest.raises(TransitionRefused) as refused:
            act(task=task, actor=UserFactory(groups=["agency_a"]), **kwargs)
        assert refused.value.code == "not_in_review"
    assert not ReviewTask.objects.filter(application=application, group__name="agency_b").exists()

"""Four-eyes: nobody reviews their own business, the counter clerk does not review what they
filed, and one person decides at most one step (and one group's part of it) per application."""

import pytest

from licensing import services as licensing_services
from licensing.models import BusinessMembership, MemberRole
from licensing.states import ApplicationState as S
from tests.factories import PermitTypeFactory, UserFactory
from tests.lifecycle import complete, draft, submitted
from tests.workflows.support import pending_task
from workflows import services as review
from workflows.machine import TransitionRefused
from workflows.rules import review_refusal
from workflows.states import TaskState

pytestmark = pytest.mark.django_db


def _refused_code(act, **kwargs) -> str:
    with pytest.raises(TransitionRefused) as refused:
        act(**kwargs)
    return refused.value.code


@pytest.mark.parametrize("role", [MemberRole.OWNER, MemberRole.STAFF])
def test_someone_who_acts_for_the_business_cannot_claim_or_decide(role):
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type)
    insider = UserFactory(groups=["agency_a"])
    BusinessMembership.objects.create(business=application.business, user=insider, role=role)
    task = pending_task(application, "agency_a")

    assert _refused_code(review.task_claim, task=task, actor=insider) == "four_eyes"
    assert _refused_code(review.task_decide, task=task, actor=insider,
                         decision="approve") == "four_eyes"
    task.refresh_from_db()
    assert task.state == TaskState.OPEN


def test_the_same_person_cannot_decide_two_steps_of_one_application():
    permit_type = PermitTypeFactory(steps=["agency_a", "agency_b"])
    application, _owner = submitted(permit_type=permit_type)
    both = UserFactory(groups=["agency_a", "agency_b"])
    review.task_decide(task=pending_task(application, "agency_a"), actor=both,
                       decision="approve")

    second = pending_task(application, "agency_b")
    assert _refused_code(review.task_claim, task=second, actor=both) == "four_eyes"
    assert _refused_code(review.task_decide, task=second, actor=both,
                         decision="approve") == "four_eyes"
    # Someone else of the group may.
    review.task_decide(task=second, actor=UserFactory(groups=["agency_b"]), decision="approve")


def test_the_same_person_cannot_approve_for_two_parallel_groups():
    permit_type = PermitTypeFactory(steps=[["agency_a", "agency_b"]])
    application, _owner = submitted(permit_type=permit_type)
    both = UserFactory(groups=["agency_a", "agency_b"])
    review.task_decide(task=pending_task(application, "agency_a"), actor=both,
                       decision="approve")
    assert _refused_code(review.task_decide, task=pending_task(application, "agency_b"),
                         actor=both, decision="approve") == "four_eyes"


def test_after_a_change_request_the_same_reviewer_may_decide_the_step_again():
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, owner = submitted(permit_type=permit_type)
    reviewer = UserFactory(groups=["agency_a"])
    review.task_decide(task=pending_task(application, "agency_a"), actor=reviewer,
                       decision="request_changes", message="Lengkapi alamat")
    application.refresh_from_db()
    licensing_services.application_resubmit(application=application, actor=owner)

    review.task_decide(task=pending_task(application, "agency_a"), actor=reviewer,
                       decision="approve")
    application.refresh_from_db()
    assert application.state == S.APPROVED


def test_the_clerk_who_filed_at_the_counter_cannot_review_it():
    permit_type = PermitTypeFactory(steps=["front_office"])
    clerk = UserFactory(groups=["front_office"])
    _first, owner = draft(permit_type=permit_type)
    application = licensing_services.application_create(
        business=owner.businesses.get(), permit_type=permit_type, actor=clerk
    )
    complete(application, clerk)
    licensing_services.application_submit(application=application, actor=clerk)
    task = pending_task(application, "front_office")

    assert _refused_code(review.task_claim, task=task, actor=clerk) == "four_eyes"
    assert _refused_code(review.task_decide, task=task, actor=clerk,
                         decision="approve") == "four_eyes"
    colleague = UserFactory(groups=["front_office"])
    assert review_refusal(task=task, user=colleague) is None
    review.task_decide(task=task, actor=colleague, decision="approve")


def test_a_reviewer_of_another_group_cannot_take_the_task():
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type)
    task = pending_task(application, "agency_a")
    outsider = UserFactory(groups=["agency_b"])
    assert _refused_code(review.task_claim, task=task, actor=outsider) == "four_eyes"

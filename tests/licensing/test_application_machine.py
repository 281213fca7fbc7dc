"""The application state machine: the whole edge graph, every path the product uses, and the
refusal of every move that is not an edge."""

import pytest
from django_fsm import can_proceed

from documents import issuance
from licensing import services
from licensing.models import Application, Permit
from licensing.states import FINAL
from licensing.states import ApplicationState as S
from tests.factories import PermitTypeFactory, RequiredDocumentFactory, UserFactory
from tests.lifecycle import draft, submitted
from workflows import services as review
from workflows.machine import TransitionRefused
from workflows.models import ReviewTask, TransitionLog

pytestmark = pytest.mark.django_db

EDGES = {
    ("submit", S.DRAFT, S.SUBMITTED),
    ("start_review", S.SUBMITTED, S.IN_REVIEW),
    ("start_review", S.PAID, S.IN_REVIEW),
    ("request_changes", S.IN_REVIEW, S.CHANGES_REQUESTED),
    ("resubmit", S.CHANGES_REQUESTED, S.IN_REVIEW),
    ("approve", S.IN_REVIEW, S.APPROVED),
    ("approve_by_law", S.IN_REVIEW, S.APPROVED),
    ("lapse", S.CHANGES_REQUESTED, S.LAPSED),
    ("approve_without_review", S.SUBMITTED, S.APPROVED),
    ("approve_without_review", S.PAID, S.APPROVED),
    ("reject", S.IN_REVIEW, S.REJECTED),
    ("request_payment", S.SUBMITTED, S.AWAITING_PAYMENT),
    ("request_payment", S.APPROVED, S.AWAITING_PAYMENT),
    ("confirm_payment", S.AWAITING_PAYMENT, S.PAID),
    ("expire", S.AWAITING_PAYMENT, S.EXPIRED),
    ("reissue", S.EXPIRED, S.AWAITING_PAYMENT),
    ("issue", S.APPROVED, S.ISSUED),
    ("issue", S.PAID, S.ISSUED),
    ("withdraw", S.DRAFT, S.WITHDRAWN),
    ("withdraw", S.SUBMITTED, S.WITHDRAWN),
    ("withdraw", S.IN_REVIEW, S.WITHDRAWN),
    ("withdraw", S.CHANGES_REQUESTED, S.WITHDRAWN),
    ("withdraw", S.AWAITING_PAYMENT, S.WITHDRAWN),
}
TRANSITIONS = sorted({name for name, _source, _target in EDGES})


def test_the_declared_graph_is_exactly_the_designed_one():
    field = Application._meta.get_field("state")
    declared = {(t.name, t.source, t.target) for t in field.get_all_transitions(Application)}
    assert declared == EDGES


def test_final_states_have_no_way_out():
    sources = {source for _name, source, _target in EDGES}
    assert FINAL == {S.ISSUED, S.REJECTED, S.WITHDRAWN, S.LAPSED}
    assert not sources & FINAL


def test_expired_is_not_final_only_staff_may_reissue_its_bill():
    """The one way out of expired: front-office or treasury staff issue a new bill."""
    assert {(name, target) for name, source, target in EDGES if source == S.EXPIRED} == {
        ("reissue", S.AWAITING_PAYMENT)
    }
    permit_type = PermitTypeFactory(paid_before_review=True)
    application, owner = submitted(permit_type=permit_type)
    application = services.application_transition(application=application, transition="expire",
                                                  actor=None)
    for actor in (owner, None, UserFactory(groups=["agency_a"])):
        with pytest.raises(TransitionRefused) as refused:
            services.application_transition(application=application, transition="reissue",
                                            actor=actor)
        assert refused.value.code == "permission_denied"
    clerk = UserFactory(groups=["treasury_officer"])
    application = services.application_transition(application=application,
                                                  transition="reissue", actor=clerk)
    assert application.state == S.AWAITING_PAYMENT


def _force_state(application, state):
    """Test set-up only: put a row in a state without walking there."""
    Application.objects.filter(pk=application.pk).update(state=state)
    return Application.objects.get(pk=application.pk)


NOT_EDGES = [
    (state, name)
    for state in S.values
    for name in TRANSITIONS
    if not any(n == name and source == state for n, source, _target in EDGES)
]


@pytest.mark.parametrize(("state", "transition"), NOT_EDGES)
def test_every_move_that_is_not_an_edge_is_refused(state, transition):
    permit_type = PermitTypeFactory()
    application, owner = draft(permit_type=permit_type)
    application = _force_state(application, state)
    assert not can_proceed(getattr(application, transition), check_conditions=False)
    for actor in (owner, None):
        with pytest.raises(TransitionRefused):
            services.application_transition(
                application=application, transition=transition, actor=actor
            )
    assert Application.objects.get(pk=application.pk).state == state
    assert not TransitionLog.objects.filter(application=application).exists()


def _path(application):
    return [(e.transition, e.source, e.target) for e in application.audit_entries.filter(
        content_type__model="application")]


def _approve_all_steps(application):
    while task := ReviewTask.objects.filter(application=application, state="open").first():
        reviewer = UserFactory(groups=[task.group.name])
        review.task_decide(task=task, actor=reviewer, decision="approve")
    return Application.objects.get(pk=application.pk)


def test_low_risk_free_type_is_approved_on_submission_and_issued_after_commit(
    django_capture_on_commit_callbacks,
):
    permit_type = PermitTypeFactory(risk_level="low")
    with django_capture_on_commit_callbacks(execute=True):
        application, _owner = submitted(permit_type=permit_type)
    assert application.state == S.APPROVED
    application.refresh_from_db()
    assert application.state == S.ISSUED
    assert _path(application) == [
        ("submit", S.DRAFT, S.SUBMITTED),
        ("approve_without_review", S.SUBMITTED, S.APPROVED),
        ("issue", S.APPROVED, S.ISSUED),
    ]


def test_reviewed_free_type_goes_through_every_step(django_capture_on_commit_callbacks):
    permit_type = PermitTypeFactory(steps=["front_office", ["agency_a", "agency_b"]])
    application, _owner = submitted(permit_type=permit_type)
    assert application.state == S.IN_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        application = _approve_all_steps(application)
    application.refresh_from_db()
    assert application.state == S.ISSUED
    assert [step for step, _s, _t in _path(application)] == [
        "submit", "start_review", "approve", "issue",
    ]


def test_payment_after_approval_waits_for_payment_before_issue(django_capture_on_commit_callbacks):
    permit_type = PermitTypeFactory(paid_after_approval=True, steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type)
    with django_capture_on_commit_callbacks(execute=True):
        application = _approve_all_steps(application)
    application.refresh_from_db()
    # Nothing is issued before the money comes, though everything queued after commit ran.
    assert application.state == S.AWAITING_PAYMENT
    assert not Permit.objects.filter(application=application).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(
            application=application, transition="confirm_payment", actor=None
        )
    application.refresh_from_db()
    assert application.state == S.ISSUED
    assert application.paid_at is not None


def test_payment_before_review_comes_first(django_capture_on_commit_callbacks):
    permit_type = PermitTypeFactory(paid_before_review=True, steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type)
    assert application.state == S.AWAITING_PAYMENT
    assert not ReviewTask.objects.filter(application=application).exists()
    application = services.application_transition(
        application=application, transition="confirm_payment", actor=None
    )
    assert application.state == S.IN_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        application = _approve_all_steps(application)
    application.refresh_from_db()
    assert application.state == S.ISSUED


def test_payment_before_review_without_steps_is_approved_once_paid(
    django_capture_on_commit_callbacks,
):
    permit_type = PermitTypeFactory(paid_before_review=True, risk_level="low")
    application, _owner = submitted(permit_type=permit_type)
    assert application.state == S.AWAITING_PAYMENT
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(
            application=application, transition="confirm_payment", actor=None
        )
    application.refresh_from_db()
    assert application.state == S.ISSUED
    assert [step for step, _s, _t in _path(application)] == [
        "submit", "request_payment", "confirm_payment", "approve_without_review", "issue",
    ]


def test_unpaid_bill_expires_and_stays_expired():
    permit_type = PermitTypeFactory(paid_before_review=True)
    application, _owner = submitted(permit_type=permit_type)
    application = services.application_transition(
        application=application, transition="expire", actor=None
    )
    assert application.state == S.EXPIRED
    with pytest.raises(TransitionRefused):
        services.application_transition(
            application=application, transition="confirm_payment", actor=None
        )


def test_issuing_twice_changes_nothing(django_capture_on_commit_callbacks):
    permit_type = PermitTypeFactory(risk_level="low")
    with django_capture_on_commit_callbacks(execute=True):
        application, _owner = submitted(permit_type=permit_type)
    issuance.application_issue(application_id=application.pk)
    assert TransitionLog.objects.filter(application=application, transition="issue").count() == 1


def test_submit_refuses_an_incomplete_application_and_names_what_is_missing():
    permit_type = PermitTypeFactory()
    RequiredDocumentFactory(permit_type=permit_type, name_en="Land certificate")
    application, owner = draft(permit_type=permit_type)
    with pytest.raises(TransitionRefused) as refused:
        services.application_submit(application=application, actor=owner)
    assert refused.value.code == "incomplete"
    assert "Land certificate" in str(refused.value.message) or "Dokumen" in str(
        refused.value.message
    )
    assert Application.objects.get(pk=application.pk).state == S.DRAFT


@pytest.mark.parametrize("who", ["stranger", "reviewer", "front_office"])
def test_only_the_business_may_submit_its_own_application(who):
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, _owner = draft(permit_type=permit_type)
    groups = {"stranger": [], "reviewer": ["agency_a"], "front_office": ["front_office"]}[who]
    with pytest.raises(TransitionRefused) as refused:
        services.application_submit(application=application, actor=UserFactory(groups=groups))
    assert refused.value.code == "permission_denied"


def test_front_office_may_file_and_submit_for_a_walk_in_business():
    permit_type = PermitTypeFactory(steps=["agency_a"])
    clerk = UserFactory(groups=["front_office"])
    _application, owner = draft(permit_type=permit_type)
    application = services.application_create(
        business=owner.businesses.get(), permit_type=permit_type, actor=clerk
    )
    assert application.filed_at_counter
    assert application.created_by == clerk
    application = services.application_submit(application=application, actor=clerk)
    assert application.state == S.IN_REVIEW


def test_a_stranger_cannot_start_an_application_for_a_business():
    permit_type = PermitTypeFactory()
    _application, owner = draft(permit_type=permit_type)
    with pytest.raises(TransitionRefused):
        services.application_create(
            business=owner.businesses.get(), permit_type=permit_type, actor=UserFactory()
        )


@pytest.mark.parametrize("transition", ["confirm_payment", "expire", "request_payment"])
def test_money_and_deadline_moves_belong_to_the_system(transition):
    permit_type = PermitTypeFactory(paid_before_review=True)
    application, owner = submitted(permit_type=permit_type)
    if transition == "request_payment":
        application = _force_state(application, S.SUBMITTED)
    with pytest.raises(TransitionRefused) as refused:
        services.application_transition(application=application, transition=transition,
                                        actor=owner)
    assert refused.value.code == "permission_denied"


def test_withdrawn_application_cannot_be_revived():
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, owner = submitted(permit_type=permit_type)
    application = services.application_withdraw(application=application, actor=owner,
                                                note="salah isi")
    assert application.state == S.WITHDRAWN
    for transition in ("resubmit", "start_review", "approve", "submit"):
        with pytest.raises(TransitionRefused):
            services.application_transition(application=application, transition=transition,
                                            actor=None)


def test_every_change_writes_who_when_from_to_and_why():
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, owner = submitted(permit_type=permit_type)
    services.application_withdraw(application=application, actor=owner, note="batal usaha")
    entry = TransitionLog.objects.filter(
        application=application, content_type__model="application"
    ).last()
    assert (entry.transition, entry.source, entry.target) == ("withdraw", S.IN_REVIEW, S.WITHDRAWN)
    assert entry.actor == owner
    assert entry.note == "batal usaha"
    assert entry.created_at is not None


def test_audit_entries_are_append_only():
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type)
    entry = TransitionLog.objects.filter(application=application).first()
    from django.core.exceptions import PermissionDenied

    entry.note = "rewritten"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        TransitionLog.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(PermissionDenied):
        TransitionLog.objects.filter(pk=entry.pk).delete()


def test_state_field_cannot_be_written_directly():
    permit_type = PermitTypeFactory()
    application, _owner = draft(permit_type=permit_type)
    with pytest.raises(AttributeError):
        application.state = S.APPROVED


def test_withdrawing_takes_the_pending_review_tasks_out_of_every_inbox():
    permit_type = PermitTypeFactory(steps=[["agency_a", "agency_b"]])
    application, owner = submitted(permit_type=permit_type)
    assert ReviewTask.objects.filter(application=application, state="open").count() == 2
    services.application_withdraw(application=application, actor=owner)
    assert set(ReviewTask.objects.filter(application=application).values_list(
        "state", flat=True)) == {"cancelled"}


def test_submit_judges_the_stored_application_not_the_callers_stale_copy():
    from tests.factories import FormFieldFactory

    permit_type = PermitTypeFactory(steps=["agency_a"])
    FormFieldFactory(permit_type=permit_type, key="floor_area", kind="number")
    application, owner = draft(permit_type=permit_type)
    stale = Application.objects.get(pk=application.pk)
    services.application_update_answers(application=application, actor=owner,
                                        answers={"floor_area": 120})
    assert services.application_submit(application=stale, actor=owner).state == S.IN_REVIEW

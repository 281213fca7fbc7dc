"""The permit state machine: the whole edge graph, who may take each edge, and the audit entry
every change leaves."""

from datetime import timedelta

import pytest
from django.utils import timezone

from licensing import permits, roles
from licensing.models import Permit, PermitState
from licensing.models.permits import P
from tests.documents.permits import issued
from tests.factories import UserFactory
from workflows.machine import TransitionRefused
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db

EDGES = {
    ("suspend", P.ACTIVE, P.SUSPENDED),
    ("reinstate", P.SUSPENDED, P.ACTIVE),
    ("revoke", P.ACTIVE, P.REVOKED),
    ("revoke", P.SUSPENDED, P.REVOKED),
    ("surrender", P.ACTIVE, P.REVOKED),
    ("surrender", P.SUSPENDED, P.REVOKED),
    ("expire", P.ACTIVE, P.EXPIRED),
    ("expire", P.SUSPENDED, P.EXPIRED),
    ("supersede", P.ACTIVE, P.SUPERSEDED),
    ("supersede", P.SUSPENDED, P.SUPERSEDED),
}
FINAL = {P.REVOKED, P.EXPIRED, P.SUPERSEDED}


def test_the_declared_graph_is_exactly_the_designed_one():
    field = Permit._meta.get_field("state")
    declared = {(t.name, t.source, t.target) for t in field.get_all_transitions(Permit)}
    assert declared == EDGES
    assert {value for value, _label in PermitState.choices} == {
        "active", "suspended", "revoked", "expired", "superseded"}


def test_final_states_have_no_way_out():
    assert not {source for _name, source, _target in EDGES} & FINAL


@pytest.fixture
def permit(django_capture_on_commit_callbacks):
    return issued(django_capture_on_commit_callbacks)


@pytest.fixture
def head():
    return UserFactory(groups=[roles.HEAD_OF_OFFICE])


def owner_of(permit):
    return permit.holder.memberships.get().user


def put_in(permit, state, head):
    """Bring an issued permit to ``state`` through the services."""
    if state == P.SUSPENDED:
        return permits.permit_suspend(permit=permit, actor=head, reason="Inspection pending")
    if state == P.REVOKED:
        return permits.permit_revoke(permit=permit, actor=head, reason="Fraud")
    if state == P.EXPIRED:
        Permit.objects.filter(pk=permit.pk).update(
            valid_until=timezone.localdate() - timedelta(days=1))
        permits.permit_expire_due()
    if state == P.SUPERSEDED:
        successor = Permit.objects.create(
            number=permit.number + "-A", application=_other_application(permit),
            holder=permit.holder, permit_type=permit.permit_type, signer=permit.signer,
            issued_year=permit.issued_year, valid_from=permit.valid_from,
        )
        permits.permit_transition(permit=permit, transition="supersede", actor=None,
                                  successor=successor)
    return Permit.objects.get(pk=permit.pk)


def _other_application(permit):
    from licensing import services

    return services.application_create(business=permit.holder, permit_type=permit.permit_type,
                                       actor=owner_of(permit))


ALL_STATES = [P.ACTIVE, P.SUSPENDED, P.REVOKED, P.EXPIRED, P.SUPERSEDED]


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("transition", sorted({name for name, _s, _t in EDGES}))
def test_every_move_that_is_not_an_edge_is_refused(permit, head, state, transition):
    permit = put_in(permit, state, head)
    assert permit.state == state
    if any(name == transition and source == state for name, source, _t in EDGES):
        return  # an edge: the tests below take it
    before = TransitionLog.objects.count()
    with pytest.raises(TransitionRefused) as refused:
        permits.permit_transition(permit=permit, transition=transition, actor=head,
                                  reason="why")
    assert refused.value.code in ("not_allowed", "permission_denied")
    assert Permit.objects.get(pk=permit.pk).state == state
    assert TransitionLog.objects.count() == before


def test_head_of_office_suspends_with_a_reason_and_reinstates_audited(permit, head):
    permit = permits.permit_suspend(permit=permit, actor=head, reason="Pending inspection")
    assert permit.state == P.SUSPENDED and permit.state_reason == "Pending inspection"
    permit = permits.permit_reinstate(permit=permit, actor=head)
    assert permit.state == P.ACTIVE
    log = list(TransitionLog.objects.filter(object_id=permit.pk, transition__in=(
        "suspend", "reinstate")).order_by("pk").values_list(
        "transition", "source", "target", "actor", "note", "application"))
    assert log == [
        ("suspend", "active", "suspended", head.pk, "Pending inspection", permit.application_id),
        ("reinstate", "suspended", "active", head.pk, "", permit.application_id),
    ]


@pytest.mark.parametrize("transition", ["suspend", "revoke", "surrender"])
def test_a_reason_is_required(permit, head, transition):
    actor = owner_of(permit) if transition == "surrender" else head
    with pytest.raises(TransitionRefused) as refused:
        permits.permit_transition(permit=permit, transition=transition, actor=actor, reason=" ")
    assert refused.value.code == "reason_required"
    assert Permit.objects.get(pk=permit.pk).state == P.ACTIVE


def test_administrator_may_revoke(permit):
    admin = UserFactory(groups=[roles.ADMINISTRATOR])
    permit = permits.permit_revoke(permit=permit, actor=admin, reason="Court order")
    assert permit.state == P.REVOKED and permit.state_reason == "Court order"


@pytest.mark.parametrize("group", [roles.FRONT_OFFICE, roles.TREASURY_OFFICER, "dinas_pupr"])
@pytest.mark.parametrize("transition", ["suspend", "revoke"])
def test_other_staff_and_the_holder_may_not_suspend_or_revoke(permit, group, transition):
    for actor in (UserFactory(groups=[group]), owner_of(permit), None):
        with pytest.raises(TransitionRefused) as refused:
            permits.permit_transition(permit=permit, transition=transition, actor=actor,
                                      reason="x")
        assert refused.value.code == "permission_denied"
    assert Permit.objects.get(pk=permit.pk).state == P.ACTIVE


def test_the_holders_owner_surrenders_its_permit_which_is_revoked_at_once(permit):
    owner = owner_of(permit)
    permit = permits.permit_surrender(permit=permit, actor=owner, reason="Business closed")
    assert permit.state == P.REVOKED
    entry = TransitionLog.objects.get(object_id=permit.pk, transition="surrender")
    assert (entry.actor, entry.note) == (owner, "Business closed")


def test_staff_of_the_holder_and_other_owners_may_not_surrender(permit, head):
    from licensing.models import BusinessMembership, MemberRole
    from tests.factories import BusinessFactory

    staff = UserFactory()
    BusinessMembership.objects.create(business=permit.holder, user=staff, role=MemberRole.STAFF)
    stranger = UserFactory()
    BusinessFactory(owner=stranger)
    for actor in (staff, stranger, head):
        with pytest.raises(TransitionRefused):
            permits.permit_surrender(permit=permit, actor=actor, reason="x")


def test_a_permit_past_its_end_date_cannot_be_reinstated(permit, head):
    permit = permits.permit_suspend(permit=permit, actor=head, reason="x")
    Permit.objects.filter(pk=permit.pk).update(valid_until=timezone.localdate() - timedelta(1))
    with pytest.raises(TransitionRefused):
        permits.permit_reinstate(permit=permit, actor=head)


def test_expiry_is_the_systems_and_only_after_the_end_date(permit, head):
    with pytest.raises(TransitionRefused):
        permits.permit_transition(permit=permit, transition="expire", actor=None)
    Permit.objects.filter(pk=permit.pk).update(valid_until=timezone.localdate() - timedelta(1))
    with pytest.raises(TransitionRefused) as refused:
        permits.permit_transition(permit=permit, transition="expire", actor=head)
    assert refused.value.code == "permission_denied"

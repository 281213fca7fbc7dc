import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from licensing import services
from licensing.models import Business, BusinessMembership, MemberRole, NibClaim
from tests.factories import BusinessFactory, UserFactory
from workflows.machine import TransitionRefused

pytestmark = pytest.mark.django_db

VALID = {
    "legal_name": "CV Melayu Jaya",
    "nib": "9120001234567",
    "npwp": "012345678912000",
    "street_address": "Jl. Tuanku Tambusai No. 10",
    "kecamatan": "payung_sekaki",
    "kelurahan": "Labuh Baru Timur",
    "kbli_codes": ["56101"],
}


def test_the_person_registering_a_business_becomes_its_owner():
    user = UserFactory()
    business = services.business_register(actor=user, **VALID)
    membership = BusinessMembership.objects.get(business=business)
    assert (membership.user, membership.role) == (user, MemberRole.OWNER)


@pytest.mark.parametrize(
    ("field", "value"),
    [("nib", "123"), ("npwp", "12345"), ("kbli_codes", ["1"]), ("kecamatan", "jakarta")],
)
def test_bad_identifiers_are_refused_and_nothing_is_stored(field, value):
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.business_register(actor=user, **{**VALID, field: value})
    assert field in error.value.message_dict
    assert not BusinessMembership.objects.exists()


def test_nib_is_unique_and_registering_it_again_is_a_claim_not_ownership():
    first = UserFactory()
    business = services.business_register(actor=first, **VALID)
    claim = services.business_register(actor=UserFactory(), **VALID)
    assert isinstance(claim, NibClaim) and claim.business == business
    assert Business.objects.count() == 1
    assert list(business.memberships.values_list("user", flat=True)) == [first.pk]


def test_owner_invites_staff_who_accepts(django_capture_on_commit_callbacks):
    owner = UserFactory()
    business = BusinessFactory(owner=owner)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.business_invite(
            business=business, actor=owner, email="Staf@Example.id",
            accept_url_for=lambda inv: f"http://testserver/invitations/{inv.token}/",
        )
    assert len(mail.outbox) == 1
    assert invitation.token in mail.outbox[0].body
    staff = UserFactory(email="staf@example.id")
    membership = services.invitation_accept(token=invitation.token, user=staff)
    assert (membership.business, membership.role) == (business, MemberRole.STAFF)
    with pytest.raises(ValidationError):
        services.invitation_accept(token=invitation.token, user=staff)


def test_staff_cannot_invite_and_invitations_are_personal():
    owner = UserFactory()
    business = BusinessFactory(owner=owner)
    staff = UserFactory()
    BusinessMembership.objects.create(business=business, user=staff, role=MemberRole.STAFF)
    with pytest.raises(TransitionRefused):
        services.business_invite(business=business, actor=staff, email="x@example.id",
                                 accept_url_for=str)
    invitation = services.business_invite(business=business, actor=owner,
                                          email="someone@example.id", accept_url_for=str)
    with pytest.raises(ValidationError):
        services.invitation_accept(token=invitation.token, user=UserFactory())


def test_one_person_may_act_for_several_businesses():
    person = UserFactory()
    first = BusinessFactory(owner=person)
    second = BusinessFactory(owner=UserFactory())
    invitation = services.business_invite(business=second, actor=second.memberships.get().user,
                                          email=person.email, accept_url_for=str)
    services.invitation_accept(token=invitation.token, user=person)
    assert set(person.businesses.all()) == {first, second}


def test_a_membership_names_its_role_in_the_readers_language():
    owner = UserFactory(full_name="Siti Rahmawati")
    membership = BusinessFactory(owner=owner).memberships.get()
    with translation.override("id"):
        assert str(membership).endswith("(Pemilik)")
    with translation.override("en"):
        assert str(membership).endswith("(Owner)")

import pytest
from django.core import mail
from django.urls import reverse

from licensing.models import Business, BusinessInvitation, BusinessMembership, MemberRole
from tests.factories import BusinessFactory, UserFactory
from tests.portal import in_english, post

pytestmark = pytest.mark.django_db

FORM = {
    "legal_name": "CV Melayu Jaya",
    "nib": "9120.0012.34567",
    "npwp": "01.234.567.8-912.000",
    "street_address": "Jl. Tuanku Tambusai No. 10",
    "kecamatan": "payung_sekaki",
    "kelurahan": "Labuh Baru Timur",
    "kbli_codes": "56101, 47111,56101",
}


@pytest.fixture(autouse=True)
def _english(client):
    in_english(client)


@pytest.fixture
def owner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_register_a_business_with_formatted_numbers(client, owner):
    response = post(client, reverse("business_register"), FORM)
    assert response.status_code == 302
    business = Business.objects.get()
    assert business.nib == "9120001234567"
    assert business.npwp == "012345678912000"
    assert business.kbli_codes == ["56101", "47111"]
    assert BusinessMembership.objects.get(business=business).role == MemberRole.OWNER


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nib", "12345", "NIB must be exactly 13 digits."),
        ("npwp", "01.234.567", "NPWP must be 15 or 16 digits."),
        ("kbli_codes", "5610", "KBLI code 5610 must be 5 digits."),
        ("kbli_codes", " , ", "Enter at least one KBLI code."),
    ],
)
def test_bad_identifiers_get_a_clear_message_and_nothing_is_stored(client, owner, field, value,
                                                                  message):
    response = post(client, reverse("business_register"), {**FORM, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Business.objects.exists()


def test_a_registered_nib_becomes_a_claim_and_is_not_said_to_be_registered(client, owner):
    # The full attack is in test_nib_claims; here, the old refusal is gone.
    BusinessFactory(nib="9120001234567")
    response = post(client, reverse("business_register"), FORM, follow=True)
    assert "already registered" not in response.content.decode()
    assert "The licensing office will check the registration of this NIB" in (
        response.content.decode())
    assert Business.objects.count() == 1
    assert not BusinessMembership.objects.filter(user=owner).exists()


def test_double_submit_registers_one_business(client, owner):
    first = post(client, reverse("business_register"), FORM, token="t-1")
    second = post(client, reverse("business_register"), FORM, token="t-1")
    assert Business.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_owner_invites_staff_who_accepts(client, owner, django_capture_on_commit_callbacks):
    business = BusinessFactory(owner=owner)
    url = reverse("business_detail", args=[business.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, url, {"email": "Staf@Example.id"})
    assert response.status_code == 302
    invitation = BusinessInvitation.objects.get()
    assert invitation.email == "staf@example.id"
    assert len(mail.outbox) == 1
    accept_url = reverse("invitation_accept", args=[invitation.token])
    assert accept_url in mail.outbox[0].body
    assert "staf@example.id" in client.get(url).content.decode()

    staff = UserFactory(email="staf@example.id")
    client.force_login(staff)
    assert business.legal_name in client.get(accept_url).content.decode()
    response = post(client, accept_url)
    assert response["Location"] == url
    assert BusinessMembership.objects.get(user=staff).role == MemberRole.STAFF

    page = client.get(url).content.decode()
    assert staff.full_name in page
    assert "Send invitation" not in page


def test_staff_may_not_invite(client):
    business = BusinessFactory(owner=UserFactory())
    staff = UserFactory()
    BusinessMembership.objects.create(business=business, user=staff, role=MemberRole.STAFF)
    client.force_login(staff)
    response = post(client, reverse("business_detail", args=[business.pk]),
                    {"email": "someone@example.id"}, follow=True)
    assert "Only an owner may invite staff." in response.content.decode()
    assert not BusinessInvitation.objects.exists()


def test_an_invitation_is_used_once(client, owner):
    business = BusinessFactory(owner=owner)
    invitation = BusinessInvitation.objects.create(business=business, email="staf@example.id",
                                                   invited_by=owner)
    staff = UserFactory(email="staf@example.id")
    client.force_login(staff)
    url = reverse("invitation_accept", args=[invitation.token])
    post(client, url)
    assert client.get(url).status_code == 404
    assert post(client, url).status_code == 404
    assert BusinessMembership.objects.filter(user=staff).count() == 1


def test_dashboard_lists_my_businesses_only(client, owner):
    mine = BusinessFactory(owner=owner)
    theirs = BusinessFactory(owner=UserFactory())
    page = client.get(reverse("dashboard")).content.decode()
    assert mine.legal_name in page
    assert theirs.legal_name not in page

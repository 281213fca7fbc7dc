"""An account owns or joins a business only once its address is confirmed; invitations expire
after seven days and bind to the invited address."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from licensing import services
from licensing.models import Business, BusinessInvitation
from tests.factories import BusinessFactory, UserFactory
from workflows.machine import TransitionRefused

pytestmark = pytest.mark.django_db

BUSINESS = {"legal_name": "CV Baru", "nib": "9120001234599", "npwp": "012345678123000",
            "street_address": "Jl. Sudirman 1", "kecamatan": "sail", "kelurahan": "Cinta Raja",
            "kbli_codes": ["56101"]}


def invitation(*, email: str, age: timedelta = timedelta(0)) -> BusinessInvitation:
    owner = UserFactory()
    business = BusinessFactory(owner=owner)
    sent = services.business_invite(business=business, actor=owner, email=email,
                                    accept_url_for=lambda inv: "/x/")
    BusinessInvitation.objects.filter(pk=sent.pk).update(created_at=timezone.now() - age)
    return sent


def test_an_unconfirmed_account_cannot_register_a_business(client):
    newcomer = UserFactory(email_verified_at=None)
    with pytest.raises(TransitionRefused) as refused:
        services.business_register(actor=newcomer, **BUSINESS)
    assert refused.value.code == "email_unconfirmed"
    assert not Business.objects.filter(nib=BUSINESS["nib"]).exists()
    client.force_login(newcomer)
    response = client.get(reverse("business_register"))
    assert response["Location"].startswith(reverse("email_unconfirmed"))


def test_an_unconfirmed_account_cannot_accept_an_invitation_to_its_address():
    invited = UserFactory(email="staf@example.id", email_verified_at=None)
    sent = invitation(email="staf@example.id")
    with pytest.raises(TransitionRefused):
        services.invitation_accept(token=sent.token, user=invited)
    invited.email_verified_at = timezone.now()
    invited.save()
    assert services.invitation_accept(token=sent.token, user=invited).business == sent.business


def test_an_invitation_expires_after_seven_days():
    invited = UserFactory(email="lama@example.id")
    sent = invitation(email="lama@example.id", age=timedelta(days=7, minutes=1))
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(token=sent.token, user=invited)


def test_an_invitation_is_bound_to_the_invited_address():
    sent = invitation(email="benar@example.id")
    with pytest.raises(ValidationError, match="another e-mail address"):
        services.invitation_accept(token=sent.token, user=UserFactory(email="lain@example.id"))

"""A NIB typed online or at the counter is looked up in OSS first (the sandbox registry on a
live server, over HTTP): unknown, refused; known, registered under OSS's name; OSS down, taken
on its format."""

import socket

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from licensing import roles
from licensing.models import Business, NibClaim
from tests.factories import UserFactory
from tests.integrations.oss import NAME, NIB, in_registry
from tests.portal import in_english, post

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {
    "legal_name": "cv melayu jaya",  # as people type it, not as OSS holds it
    "nib": "9120.0012.34567",
    "npwp": "01.234.567.8-912.000",
    "street_address": "Jl. Tuanku Tambusai No. 10",
    "kecamatan": "payung_sekaki",
    "kelurahan": "Labuh Baru Timur",
    "kbli_codes": "56101",
}


@pytest.fixture
def owner(client):
    in_english(client)
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def clerk(client):
    in_english(client)
    user = UserFactory(groups=[roles.FRONT_OFFICE])
    client.force_login(user)
    return user


def errors(response) -> str:
    return response.content.decode()


# Online.


def test_a_nib_oss_knows_is_registered_under_oss_name(client, owner, oss):
    in_registry()
    response = post(client, reverse("business_register"), FORM, follow=True)
    business = Business.objects.get()
    assert (business.nib, business.legal_name) == (NIB, NAME)
    assert business.memberships.get().user == owner
    assert f"The name is the one OSS holds for NIB {NIB}." in response.content.decode()


def test_a_nib_oss_does_not_know_is_refused(client, owner, oss):
    in_registry(nib="9120009999999")
    response = post(client, reverse("business_register"), FORM)
    assert response.status_code == 200
    assert "OSS has no business with this NIB." in errors(response)
    assert not Business.objects.exists() and not NibClaim.objects.exists()


def test_an_npwp_that_is_not_the_one_oss_holds_is_refused(client, owner, oss):
    in_registry()
    response = post(client, reverse("business_register"), {**FORM, "npwp": "987654321098000"})
    assert "This is not the NPWP that OSS holds for this NIB." in errors(response)
    assert not Business.objects.exists()


def test_the_16_digit_npwp_of_the_same_taxpayer_is_the_same(client, owner, oss):
    in_registry()
    post(client, reverse("business_register"), {**FORM, "npwp": "0012345678912000"})
    assert Business.objects.get().legal_name == NAME


def test_oss_down_does_not_stop_a_registration(client, owner, settings, caplog):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        settings.OSS_BASE_URL = f"http://127.0.0.1:{closed.getsockname()[1]}/oss"
    post(client, reverse("business_register"), FORM)
    assert Business.objects.get().legal_name == "cv melayu jaya"  # on its format, as typed
    assert "oss_lookup_skipped form=BusinessForm reason=unavailable" in caplog.text


# At the counter.


def test_the_counter_form_is_filled_in_from_oss_and_registers_under_its_name(client, clerk, oss):
    in_registry()
    page = client.get(reverse("counter_intake") + "?" + urlencode({"nib": NIB}))
    form = page.context["registration"]
    assert form.initial["legal_name"] == NAME
    assert form.initial["kbli_codes"] == "56101, 47111"
    post(client, reverse("counter_business_register"),
         {**FORM, "owner_email": "pemilik@melayujaya.id"})
    business = Business.objects.get()
    assert (business.legal_name, business.registered_at_counter_by) == (NAME, clerk)


def test_the_counter_refuses_a_nib_oss_does_not_know(client, clerk, oss):
    in_registry(nib="9120009999999")
    page = client.get(reverse("counter_intake") + "?" + urlencode({"nib": NIB}))
    assert page.context["registration"] is None
    assert f"OSS has no business with NIB {NIB}." in page.content.decode()
    response = post(client, reverse("counter_business_register"),
                    {**FORM, "owner_email": "pemilik@melayujaya.id"})
    assert "OSS has no business with this NIB." in errors(response)
    assert not Business.objects.exists()



def test_the_demo_prints_nibs_oss_knows_and_one_of_them_registers(client, oss, settings):
    from io import StringIO

    from django.core.management import call_command

    from demo.oss import NEWCOMERS, SECRET_NAME
    from events.models import Subscription

    settings.EVENTS_SUBSCRIPTION_SECRETS = {SECRET_NAME: settings.OSS_SANDBOX_SIGNING_SECRET}
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out, permits=False, site_url=oss.url)
    newcomer = NEWCOMERS[0]
    assert f"NIB {newcomer['nib']}  NPWP {newcomer['npwp']}" in out.getvalue()
    assert Subscription.objects.get(name="OSS (sandbox)").shape == "oss_license_status"

    in_english(client)
    client.force_login(UserFactory())
    response = post(client, reverse("business_register"), {
        **FORM, "nib": newcomer["nib"], "npwp": newcomer["npwp"],
        "legal_name": "riau niaga", "kelurahan": newcomer["kelurahan"]})
    assert response.status_code == 302, errors(response)
    assert Business.objects.get(nib=newcomer["nib"]).legal_name == newcomer["legal_name"]

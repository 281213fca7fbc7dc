"""Every page tells the browser what it may do: a strict Content-Security-Policy (no inline code,
no framing, forms only to Izin and the payment gateway) and a Permissions-Policy."""

import pytest
from django.urls import reverse

from config.security_headers import gateway_origin
from tests.factories import PermitTypeFactory, UserFactory
from tests.lifecycle import submitted
from tests.treasury.books import officer

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_strict(response, *, gateway="http://gateway.invalid"):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'", gateway]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    # Nothing loosens script-src or style-src below default-src.
    assert "script-src" not in policy and "style-src" not in policy
    assert response["Permissions-Policy"] == (
        "camera=(), microphone=(), geolocation=(), usb=(), payment=(self)")


@pytest.fixture
def business_pages(client):
    application, owner = submitted(permit_type=PermitTypeFactory(steps=["agency_a"]))
    return owner, [reverse("dashboard"), reverse("application_detail", args=[application.pk]),
                   reverse("permit_list"), reverse("notification_list")]


def test_the_public_pages_carry_the_strict_policy(client):
    PermitTypeFactory(code="PBG")
    for url in ("/", reverse("catalogue"), reverse("catalogue_detail", args=["PBG"]),
                reverse("login"), reverse("signup"), "/no-such-page/"):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_strict(response)


def test_a_business_sees_its_pages_under_the_policy(client, business_pages):
    owner, urls = business_pages
    client.force_login(owner)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_a_reviewer_sees_the_inbox_and_a_task_under_the_policy(client):
    application, _owner = submitted(permit_type=PermitTypeFactory(steps=["agency_a"]))
    reviewer = UserFactory(groups=["agency_a"])
    client.force_login(reviewer)
    task = application.review_tasks.get()
    for url in (reverse("inbox"), reverse("task_detail", args=[task.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_the_treasury_sees_its_pages_under_the_policy(client):
    client.force_login(officer())
    for url in ("/treasury/", "/treasury/exceptions/", "/treasury/statements/upload/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_forms_may_post_to_the_gateway_the_settings_name(client, settings):
    settings.PAYMENT_GATEWAY_URL = "https://pay.example.id/api/stripe"
    assert directives(client.get("/"))["form-action"] == ["'self'", "https://pay.example.id"]


def test_a_checkout_on_another_origin_than_the_api_is_allowed_by_name(client, settings):
    settings.PAYMENT_GATEWAY_URL = "https://api.stripe.com"
    settings.PAYMENT_CHECKOUT_ORIGINS = ["https://checkout.stripe.com/c/pay"]
    assert directives(client.get("/"))["form-action"] == [
        "'self'", "https://api.stripe.com", "https://checkout.stripe.com"]


def test_no_gateway_address_means_forms_post_to_izin_only(client, settings):
    settings.PAYMENT_GATEWAY_URL = ""
    assert directives(client.get("/"))["form-action"] == ["'self'"]


def test_the_gateway_origin_is_scheme_host_and_port_only():
    assert gateway_origin("http://127.0.0.1:8000/sandbox/stripe") == "http://127.0.0.1:8000"
    assert gateway_origin("https://api.gateway.id/") == "https://api.gateway.id"
    assert gateway_origin("") is None
    assert gateway_origin("gateway.id/no-scheme") is None

"""Paying bills against the sandbox gateway over real HTTP (a live server), as the business,
the bank and the gateway's webhooks would."""

import json

import requests
from django.conf import settings

from payments import payment_services
from payments.models import Payment
from payments.sandbox import shapes
from payments.sandbox.models import Event as SandboxEvent
from payments.sandbox.webhooks import signature_header

WEBHOOK_PATH = "/payments/webhooks/stripe/"


def use_sandbox(settings, live_server, *, webhooks: bool = False) -> None:
    """Izin's client talks to the sandbox on the live server; with ``webhooks`` the sandbox
    delivers its events to Izin's endpoint there too."""
    settings.PAYMENT_GATEWAY_URL = live_server.url + "/sandbox/stripe"
    if webhooks:
        settings.PAYMENT_SANDBOX_WEBHOOK_URL = live_server.url + WEBHOOK_PATH


def start(invoice, owner, method: str = "card") -> Payment:
    return payment_services.payment_start(invoice=invoice, method=method, actor=owner,
                                          absolute_url=lambda path: "http://testserver" + path)


def sandbox_post(path: str, data: dict | None = None) -> dict:
    """The sandbox's API as its owner would call it (the bank's side, test helpers)."""
    response = requests.post(
        settings.PAYMENT_GATEWAY_URL + "/v1/" + path, data=data or {}, timeout=10,
        headers={"Authorization": f"Bearer {settings.PAYMENT_SANDBOX_SECRET_KEY}"},
    )
    assert response.ok, response.text
    return response.json()


def pay_by_card(payment: Payment, card: str = "pm_card_visa") -> dict:
    return sandbox_post(f"payment_intents/{payment.payment_intent_id}/confirm",
                        {"payment_method": card})


def choose_bank(payment: Payment, method: str = "va") -> dict:
    data = {"payment_method_data[type]": method}
    if method == "va":
        data["payment_method_data[va][bank]"] = "bca"
    return sandbox_post(f"payment_intents/{payment.payment_intent_id}/confirm", data)


def bank_pays(payment: Payment) -> dict:
    return sandbox_post(f"test_helpers/payment_intents/{payment.payment_intent_id}/"
                        "simulate_payment")


def sandbox_event(type: str, object_id: str) -> dict:
    """The event the sandbox recorded about an object, as it would send it."""
    record = next(event for event in SandboxEvent.objects.filter(type=type).order_by("created")
                  if event.data["object"]["id"] == object_id)
    return shapes.event(record)


def signed(event: dict, *, secret: str = "whsec_izin_sandbox",
           timestamp: int | None = None) -> tuple[bytes, str]:
    body = json.dumps(event).encode()
    return body, signature_header(payload=body, secret=secret, timestamp=timestamp)


def deliver(client, event: dict, **signing):
    body, header = signed(event, **signing)
    return post_webhook(client, body, header)


def post_webhook(client, body: bytes, header: str):
    return client.post(WEBHOOK_PATH, body, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=header)

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest
import requests
import stripe
from stripe._encode import _api_encode

SECRET_KEY = "sk_test_izin_sandbox"
WEBHOOK_SECRET = "whsec_izin_sandbox"
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {SECRET_KEY}"}


@pytest.fixture
def client(client, settings):
    """Pages read in English, so assertions on wording hold once Indonesian is translated."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def gateway(live_server):
    """The official SDK pointed at the sandbox over real HTTP, as any Stripe client would be."""
    http = requests.Session()
    yield stripe.StripeClient(
        SECRET_KEY,
        base_addresses={"api": live_server.url + "/sandbox/stripe"},
        max_network_retries=0,
        http_client=stripe.RequestsClient(session=http),
    )
    # A kept-alive socket would hold the live server's thread and its database connection.
    http.close()


def session_params(**overrides) -> dict:
    params = {
        "mode": "payment",
        "line_items": [{
            "price_data": {"currency": "idr", "unit_amount": 150_000_000,
                           "product_data": {"name": "Retribusi PBG"}},
            "quantity": 1,
        }],
        "payment_method_types": ["card", "va", "qris"],
        "success_url": "https://izin.test/pay/done?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://izin.test/pay/cancelled",
        "client_reference_id": "invoice-42",
        "metadata": {"invoice": "42"},
    }
    params.update(overrides)
    return params


def form_body(params: dict) -> str:
    """Parameters encoded as the official SDK encodes them."""
    return urlencode(list(_api_encode(params)))


@pytest.fixture
def session_id(client):
    """An open checkout session created through the API (Django's test client)."""
    response = client.post("/sandbox/stripe/v1/checkout/sessions", form_body(session_params()),
                           content_type="application/x-www-form-urlencoded", **AUTH)
    assert response.status_code == 200, response.content
    return response.json()["id"]


class Receiver:
    """A webhook endpoint on 127.0.0.1: answers with the queued status codes (then 200) and
    keeps every request it got."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/payments/webhooks/stripe/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def events(self) -> list[dict]:
        return [json.loads(request["body"]) for request in self.requests]

    def types(self) -> list[str]:
        return [event["type"] for event in self.events()]


@pytest.fixture
def receiver(settings):
    receiver = Receiver()
    receiver.thread.start()
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = receiver.url
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()

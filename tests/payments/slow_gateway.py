"""A gateway that takes its time: a threaded HTTP server on 127.0.0.1 that waits ``delay`` seconds
before it answers, as a gateway under load does, with Stripe-shaped JSON for one checkout session
and its payment intent (or, with ``status``, an error). It records every request it receives."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.payments.gateway import wire as w
from tests.payments.support import TOTAL

SESSION_ID, INTENT_ID = "cs_slow_1", "pi_slow_1"


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    idempotency_key: str | None
    body: str


class SlowGateway:
    def __init__(self, server: ThreadingHTTPServer):
        host, port = server.server_address[:2]
        self.origin = f"http://{host}:{port}"
        self.url = self.origin + "/stripe"  # PAYMENT_GATEWAY_URL: the client appends /v1/…
        self.delay = 0.0  # seconds before each answer
        self.status = 200  # anything else: that status, with a Stripe error body
        self.requests: list[Seen] = []
        self.closing = threading.Event()  # set at the end: waiting handlers hang up at once
        self._lock = threading.Lock()

    def seen(self, request: Seen) -> None:
        with self._lock:
            self.requests.append(request)

    def answer(self, method: str, path: str) -> tuple[int, dict]:
        api = "/stripe/v1/"
        session = w.checkout_session(
            id=SESSION_ID, payment_intent=INTENT_ID, amount_total=TOTAL * 100,
            url=f"{self.origin}/checkout/{SESSION_ID}/")
        if (method, path) in (("POST", api + "checkout/sessions"),
                              ("GET", api + f"checkout/sessions/{SESSION_ID}")):
            return 200, session
        if (method, path) == ("GET", api + f"payment_intents/{INTENT_ID}"):
            return 200, w.payment_intent(id=INTENT_ID, status="requires_payment_method",
                                         amount=TOTAL * 100, payment_method_types=["card"],
                                         next_action=None)
        return 404, w.error("invalid_request_error", f"No such path: {path}")


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def do_GET(self):
        self._answer()

    def do_POST(self):
        self._answer()

    def _answer(self):
        gateway: SlowGateway = self.server.gateway
        delay, status = gateway.delay, gateway.status  # as they were when the request came
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        gateway.seen(Seen(self.command, urlsplit(self.path).path,
                          self.headers.get("Idempotency-Key"), body))
        if gateway.closing.wait(delay):
            return
        if status == 200:
            status, payload = gateway.answer(self.command, urlsplit(self.path).path)
        else:
            payload = w.error("api_error", "The gateway is overloaded.")
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped waiting, as it should

    def log_message(self, format, *args):
        pass


@contextmanager
def slow_gateway() -> Iterator[SlowGateway]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.gateway = SlowGateway(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.gateway
    finally:
        server.gateway.closing.set()
        server.shutdown()
        server.server_close()
        thread.join()

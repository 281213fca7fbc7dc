"""A subscriber's endpoint on loopback: a real HTTP server in a thread that records every POST
and answers as the test scripts it (a status code, or "hang": answer nothing until released,
as a receiver stuck behind a slow database would)."""

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG = "hang"


@dataclass
class Received:
    body: bytes
    signature: str
    status: int | None  # what was answered; None: hung until released
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def event(self) -> dict:
        return json.loads(self.body)


class Receiver:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.script: list[int | str] = []  # answers to the next requests, then 200
        self.release = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver._lock:
                    answer = receiver.script.pop(0) if receiver.script else 200
                    record = Received(body=body, signature=self.headers.get("Izin-Signature", ""),
                                      status=None if answer == HANG else answer,
                                      headers=dict(self.headers.items()))
                    receiver.received.append(record)
                if answer == HANG:
                    receiver.release.wait(timeout=30)
                    answer = 200
                try:
                    self.send_response(answer)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the sender gave up waiting

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/izin-events"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Receiver":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def accepted(self) -> list[dict]:
        """The events the receiver took (answered 2xx), in the order they came."""
        return [r.event for r in self.received if r.status is not None and r.status < 300]


def signed_by(received: Received, secret: str, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver checks, written from Stripe's scheme and not from Izin's code: the
    header's ``t`` is recent, and one of its ``v1`` is the hex HMAC-SHA256 of ``"<t>." + body``
    under the shared secret, compared in constant time."""
    parts = [item.partition("=") for item in received.signature.split(",")]
    stamps = [value for key, _sep, value in parts if key == "t"]
    candidates = [value for key, _sep, value in parts if key == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or abs(now - int(stamps[0])) > tolerance:
        return False
    expected = hmac.new(secret.encode(), stamps[0].encode() + b"." + received.body,
                        hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)

"""Checking Izin's ``Izin-Signature`` header (Stripe's scheme: ``t=<unix>,v1=<hex HMAC-SHA256(
secret, "<t>.<body>")>``) with the sandbox's own code: it imports nothing of Izin, as OSS could
not."""

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 300  # a replay older than this is refused, as Stripe's libraries do


def signature_valid(*, header: str, body: bytes, secret: str, now: int | None = None) -> bool:
    if not secret or not header:
        return False
    parts = [item.partition("=") for item in header.split(",")]
    timestamps = [value for key, _, value in parts if key.strip() == "t"]
    signatures = [value.strip() for key, _, value in parts if key.strip() == "v1"]
    if len(timestamps) != 1 or not timestamps[0].strip().isdigit() or not signatures:
        return False
    timestamp = int(timestamps[0])
    if abs((int(time.time()) if now is None else now) - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body,
                        hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures)

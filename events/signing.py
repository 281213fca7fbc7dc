"""The signature subscribers check, in Stripe's scheme (the one the payment gateway signs its
webhooks with), so any Stripe webhook library verifies it:
``Izin-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``."""

import hashlib
import hmac
import time

HEADER = "Izin-Signature"


def signature_header(*, body: bytes, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body,
                      hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"

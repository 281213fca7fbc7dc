"""Stripe-Signature verification for incoming webhooks.

The header reads ``t=<unix seconds>,v1=<hex>[,v1=<hex>...]``, each ``v1`` an HMAC-SHA256 of
``<t>.<raw body>`` under one endpoint secret. While a secret is being rotated the gateway signs
with both, and we accept any of ours against any of its signatures. The timestamp bounds how long
a captured request can be replayed.
"""

import hashlib
import hmac
import json
import time
from collections.abc import Sequence
from typing import Any

from .errors import SignatureVerificationError

DEFAULT_TOLERANCE = 300  # seconds either side of our clock, as Stripe's own libraries allow


def verify_event(
    payload: bytes,
    signature_header: str,
    secrets: Sequence[str],
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> dict[str, Any]:
    """The event in ``payload`` once its signature proves the gateway sent it just now.

    Raises SignatureVerificationError otherwise; the caller answers 400 and stores nothing.
    """
    if not secrets:
        raise ValueError("No webhook secret is configured to verify against.")
    timestamp, signatures = _parse_header(signature_header)
    signed = f"{timestamp}.".encode() + payload
    expected = [
        hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest().encode() for secret in secrets
    ]
    # compare_digest for every pair: how long a mismatch takes must not hint at the right value.
    if not any(hmac.compare_digest(e, s) for e in expected for s in signatures):
        raise SignatureVerificationError("No signature matches the payload for any known secret.")
    age = (time.time() if now is None else now) - timestamp
    if age > tolerance:
        raise SignatureVerificationError(f"The signature is {int(age)} s old; too old to trust.")
    if -age > tolerance:
        raise SignatureVerificationError("The signature is dated in the future.")
    try:
        event = json.loads(payload)
    except ValueError as exc:
        raise SignatureVerificationError("The signed payload is not JSON.") from exc
    if not isinstance(event, dict):
        raise SignatureVerificationError("The signed payload is not a JSON object.")
    return event


def _parse_header(header: str) -> tuple[int, list[bytes]]:
    timestamps: list[str] = []
    signatures: list[bytes] = []
    for item in (header or "").split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            timestamps.append(value)
        elif key == "v1":
            signatures.append(value.encode())
    stamp = timestamps[0] if len(timestamps) == 1 else ""
    if not (stamp.isascii() and stamp.isdigit()) or not signatures:
        raise SignatureVerificationError("The Stripe-Signature header is malformed.")
    return int(stamp), signatures

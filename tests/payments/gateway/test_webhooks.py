"""Stripe-Signature verification: only the gateway, only recently, only this body."""

import hashlib
import hmac
import json

import pytest
import stripe

from payments.gateway.errors import SignatureVerificationError
from payments.gateway.webhooks import verify_event

from . import wire as w

SECRET = "whsec_current"
OLD_SECRET = "whsec_previous"
SIGNED_AT = 1_767_225_600
# Python's int() reads these digits; no signer writes them, so the header is malformed.
_FULLWIDTH_SIGNED_AT = "".join(chr(0xFF10 + int(digit)) for digit in str(SIGNED_AT))
PAYLOAD = json.dumps(w.event(), separators=(",", ":")).encode()


def _signature(payload, secret, timestamp=SIGNED_AT):
    """Signed as Stripe documents it: HMAC-SHA256 over "<t>.<body>", hex."""
    signed = f"{timestamp}.".encode() + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def _header(*signatures, timestamp=SIGNED_AT):
    return ",".join([f"t={timestamp}", *(f"v1={s}" for s in signatures)])


def test_a_valid_signature_yields_the_event():
    event = verify_event(PAYLOAD, _header(_signature(PAYLOAD, SECRET)), [SECRET], now=SIGNED_AT)

    assert event == json.loads(PAYLOAD)


def test_a_signature_made_with_another_secret_is_forged():
    header = _header(_signature(PAYLOAD, "whsec_attacker"))

    with pytest.raises(SignatureVerificationError):
        verify_event(PAYLOAD, header, [SECRET], now=SIGNED_AT)


def test_a_tampered_body_fails():
    header = _header(_signature(PAYLOAD, SECRET))
    tampered = PAYLOAD.replace(b'"paid"', b'"unpaid"')
    assert tampered != PAYLOAD

    with pytest.raises(SignatureVerificationError):
        verify_event(tampered, header, [SECRET], now=SIGNED_AT)


def test_a_signature_cannot_be_moved_to_another_timestamp():
    header = _header(_signature(PAYLOAD, SECRET), timestamp=SIGNED_AT + 60)

    with pytest.raises(SignatureVerificationError):
        verify_event(PAYLOAD, header, [SECRET], now=SIGNED_AT + 60)


def test_within_tolerance_either_way_is_accepted():
    header = _header(_signature(PAYLOAD, SECRET))

    verify_event(PAYLOAD, header, [SECRET], now=SIGNED_AT + 300)
    verify_event(PAYLOAD, header, [SECRET], now=SIGNED_AT - 300)


def test_a_stale_signature_is_refused():
    header = _header(_signature(PAYLOAD, SECRET))

    with pytest.raises(SignatureVerificationError, match="old"):
        verify_event(PAYLOAD, header, [SECRET], now=SIGNED_AT + 301)


def test_a_signature_from_the_future_is_refused():
    header = _header(_signature(PAYLOAD, SECRET))

    with pytest.raises(SignatureVerificationError, match="future"):
        verify_event(PAYLOAD, header, [SECRET], now=SIGNED_AT - 301)


def test_tolerance_is_adjustable():
    header = _header(_signature(PAYLOAD, SECRET))

    with pytest.raises(SignatureVerificationError):
        verify_event(PAYLOAD, header, [SECRET], tolerance=10, now=SIGNED_AT + 11)


def test_any_of_several_v1_values_may_match():
    header = _header("0" * 64, _signature(PAYLOAD, SECRET), "not-hex")

    assert verify_event(PAYLOAD, header, [SECRET], now=SIGNED_AT)["id"] == "evt_test_a1"


@pytest.mark.parametrize("signer", [SECRET, OLD_SECRET])
def test_during_rotation_either_secret_is_accepted(signer):
    header = _header(_signature(PAYLOAD, signer))

    assert verify_event(PAYLOAD, header, [SECRET, OLD_SECRET], now=SIGNED_AT)


def test_during_rotation_the_gateway_signs_with_both_and_either_secret_alone_verifies():
    header = _header(_signature(PAYLOAD, OLD_SECRET), _signature(PAYLOAD, SECRET))

    assert verify_event(PAYLOAD, header, [SECRET], now=SIGNED_AT)
    assert verify_event(PAYLOAD, header, [OLD_SECRET], now=SIGNED_AT)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "garbage",
        f"v1={_signature(PAYLOAD, SECRET)}",
        f"t={SIGNED_AT}",
        f"t=soon,v1={_signature(PAYLOAD, SECRET)}",
        f"t=-{SIGNED_AT},v1={_signature(PAYLOAD, SECRET)}",
        f"t={SIGNED_AT},t={SIGNED_AT},v1={_signature(PAYLOAD, SECRET)}",
        f"t={SIGNED_AT},v0={_signature(PAYLOAD, SECRET)}",
        f"t={SIGNED_AT},v1=é",
        f"t={_FULLWIDTH_SIGNED_AT},v1={_signature(PAYLOAD, SECRET)}",
    ],
)
def test_a_malformed_header_is_refused(header):
    with pytest.raises(SignatureVerificationError):
        verify_event(PAYLOAD, header, [SECRET], now=SIGNED_AT)


def test_a_signed_payload_that_is_not_a_json_object_is_refused():
    payload = b"[1, 2]"

    with pytest.raises(SignatureVerificationError):
        verify_event(payload, _header(_signature(payload, SECRET)), [SECRET], now=SIGNED_AT)


def test_verifying_without_any_secret_is_a_configuration_error():
    with pytest.raises(ValueError):
        verify_event(PAYLOAD, _header(_signature(PAYLOAD, SECRET)), [], now=SIGNED_AT)


def test_the_clock_defaults_to_now():
    with pytest.raises(SignatureVerificationError, match="old"):
        verify_event(PAYLOAD, _header(_signature(PAYLOAD, SECRET)), [SECRET])


def test_a_header_made_by_the_official_stripe_library_verifies():
    header = stripe.WebhookSignature.generate_signature_header(
        PAYLOAD.decode(), SECRET, timestamp=SIGNED_AT
    )

    assert verify_event(PAYLOAD, header, [SECRET], now=SIGNED_AT)["id"] == "evt_test_a1"


def test_the_headers_these_tests_sign_are_ones_stripe_itself_accepts():
    header = _header("0" * 64, _signature(PAYLOAD, SECRET))

    stripe.WebhookSignature.verify_header(PAYLOAD, header, SECRET, tolerance=None)

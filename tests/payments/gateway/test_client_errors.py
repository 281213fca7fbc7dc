"""Gateway refusals become typed exceptions that carry what the gateway said."""

import pytest

from payments.gateway.errors import (
    APIError,
    AuthenticationError,
    CardError,
    GatewayError,
    IdempotencyError,
    InvalidRequestError,
    PermissionDeniedError,
    RateLimitError,
)

from . import wire as w

REFUNDS = f"{w.API}/refunds"


def _refund(client):
    return client.refund_create(idempotency_key="payment:9:refund:1", payment_intent="pi_test_a1")


@pytest.mark.parametrize(
    ("status", "error_type", "code", "expected", "attempts"),
    [
        (400, "invalid_request_error", "parameter_missing", InvalidRequestError, 1),
        (404, "invalid_request_error", "resource_missing", InvalidRequestError, 1),
        (400, "idempotency_error", "idempotency_key_in_use", IdempotencyError, 1),
        (401, "invalid_request_error", "api_key_invalid", AuthenticationError, 1),
        (401, "authentication_error", None, AuthenticationError, 1),
        (402, "card_error", "card_declined", CardError, 1),
        (403, "invalid_request_error", "secret_key_required", PermissionDeniedError, 1),
        (429, "rate_limit_error", "rate_limit", RateLimitError, 4),
        (500, "api_error", None, APIError, 4),
        (409, "idempotency_error", "idempotency_key_in_use", IdempotencyError, 4),
    ],
)
def test_error_answers_map_to_typed_exceptions_with_the_gateways_details(
    client, wire, status, error_type, code, expected, attempts
):
    wire.post(
        REFUNDS,
        status=status,
        json=w.error(error_type, "What the gateway said.", code=code, param="amount"),
        headers={"Request-Id": "req_err_1"},
    )

    with pytest.raises(expected) as caught:
        _refund(client)

    error = caught.value
    assert isinstance(error, GatewayError)
    assert error.message == "What the gateway said."
    assert error.code == code
    assert error.http_status == status
    assert error.request_id == "req_err_1"
    assert error.param == "amount"
    assert "req_err_1" in str(error)
    assert len(wire.calls) == attempts


def test_a_declined_card_carries_its_decline_code(client, wire):
    wire.post(
        REFUNDS,
        status=402,
        json=w.error(
            "card_error", "Your card has insufficient funds.",
            code="card_declined", decline_code="insufficient_funds",
        ),
    )

    with pytest.raises(CardError) as caught:
        _refund(client)

    assert caught.value.decline_code == "insufficient_funds"


def test_a_proxy_error_page_is_an_api_error_with_the_status(client, wire):
    wire.post(REFUNDS, status=502, body="<html>Bad Gateway</html>", content_type="text/html")

    with pytest.raises(APIError) as caught:
        _refund(client)

    assert caught.value.http_status == 502
    assert caught.value.code is None


def test_a_success_that_is_not_json_is_an_api_error(client, wire):
    wire.get(f"{w.API}/refunds/re_1", status=200, body="OK", content_type="text/plain")

    with pytest.raises(APIError):
        client.refund_retrieve("re_1")


def test_an_amount_that_is_not_whole_rupiah_is_refused_not_rounded(client, wire):
    wire.get(f"{w.API}/refunds/re_1", json=w.refund(amount=5_000_050))

    with pytest.raises(APIError, match="could not be read"):
        client.refund_retrieve("re_1")


def test_an_answer_missing_a_field_is_an_api_error(client, wire):
    body = w.payment_intent()
    del body["status"]
    wire.get(f"{w.API}/payment_intents/pi_test_a1", json=body)

    with pytest.raises(APIError):
        client.payment_intent_retrieve("pi_test_a1")

"""Typed exceptions for what the gateway answers, mirroring Stripe's error types."""


class GatewayError(Exception):
    """The gateway refused or failed a request; carries what it said, for logs and the treasury."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        http_status: int | None = None,
        request_id: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status
        self.request_id = request_id
        self.param = param
        self.decline_code = decline_code

    def __str__(self) -> str:
        details = " ".join(
            f"{name}={value}"
            for name, value in (
                ("code", self.code),
                ("http_status", self.http_status),
                ("request_id", self.request_id),
            )
            if value is not None
        )
        return f"{self.message} ({details})" if details else self.message


class CardError(GatewayError):
    """The card was declined (HTTP 402); ``decline_code`` says why."""


class InvalidRequestError(GatewayError):
    """Bad parameters or an unknown object (HTTP 400/404): our bug or a stale id, never retried."""


class IdempotencyError(GatewayError):
    """An idempotency key was reused with different parameters."""


class AuthenticationError(GatewayError):
    """The secret key was refused (HTTP 401)."""


class PermissionDeniedError(GatewayError):
    """The key may not do this (HTTP 403); Stripe's PermissionError, renamed off the builtin."""


class RateLimitError(GatewayError):
    """Too many requests (HTTP 429), still refused after the retries."""


class APIError(GatewayError):
    """The gateway failed (5xx, 409, or an answer we cannot read), still failing after retries."""


class APIConnectionError(GatewayError):
    """No answer at all: connection refused, reset or timed out, after the retries."""


class BudgetExhaustedError(APIConnectionError):
    """The caller's time budget (a web request's) ran out before the gateway gave a final answer.

    Raised instead of waiting or retrying past it. The last request may or may not have reached
    the gateway, as after any timeout: ask again later under the same idempotency key.
    ``http_status`` and ``request_id`` are the last answer's, when there was one.
    """


class SignatureVerificationError(Exception):
    """A webhook whose Stripe-Signature is missing, malformed, forged, stale or from the future."""


_BY_STATUS: dict[int, type[GatewayError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    402: CardError,
    403: PermissionDeniedError,
    404: InvalidRequestError,
    429: RateLimitError,
}


def error_class(*, error_type: str | None, http_status: int) -> type[GatewayError]:
    """The exception for an error answer.

    By HTTP status, as Stripe's own SDK does (Stripe labels a bad key or a lock timeout
    ``invalid_request_error`` too, so the type alone would mislead), except that an
    ``idempotency_error`` keeps its own class whatever the status.
    """
    if error_type == "idempotency_error":
        return IdempotencyError
    return _BY_STATUS.get(http_status, APIError)

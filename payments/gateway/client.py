"""GatewayClient: the Stripe API subset Izin uses, over ``requests``.

Every POST carries the caller's Idempotency-Key, the same on every retry, so a retry after a
timeout replays the gateway's first answer instead of charging twice. Retries (connection errors,
timeouts, 409, 429, 5xx) back off exponentially with full jitter; ``Stripe-Should-Retry`` from the
gateway overrides that choice either way. Amounts go in and come out in whole rupiah.

A client made with a ``budget`` (a web request's: ``gateway_client(interactive=True)``) spends
at most that many seconds on the gateway over all its calls: each attempt's timeouts are cut to
what is left, and when too little is left for another attempt, or for the wait before it, it
raises ``BudgetExhaustedError`` instead. Without a budget (tasks) the full retries apply.
"""

import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from urllib3.util import Timeout

from payments.money import CURRENCY, to_gateway_amount

from .encoding import form_encode, form_pairs
from .errors import (
    APIConnectionError,
    APIError,
    BudgetExhaustedError,
    GatewayError,
    error_class,
)
from .types import (
    BalanceTransaction,
    CheckoutSession,
    Event,
    ListPage,
    PaymentIntent,
    Payout,
    Refund,
)

logger = logging.getLogger("izin.payments.gateway")

# The API version whose object shapes types.py reads; the gateway answers in it whatever the
# account's default is, so an upgrade on the gateway side cannot change what we parse.
STRIPE_VERSION = "2024-06-20"
CONNECT_TIMEOUT = 5  # seconds; a gateway that does not accept a connection by then is down
READ_TIMEOUT = 10  # seconds; a slow answer is retried under the same idempotency key
MAX_RETRIES = 3
BACKOFF_BASE = 0.5  # seconds before the first retry, at most
BACKOFF_CAP = 8.0  # seconds; no single wait is longer, whatever the attempt
# With less of a budget left than this, another attempt is not started: a gateway already slow
# enough to have used the rest would not answer in it.
MIN_ATTEMPT_SECONDS = 1.0
_RETRY_STATUSES = {409, 429}
# A dropped connection or a half-read body: the request may or may not have reached the gateway,
# which is exactly what the idempotency key makes safe to retry.
_NETWORK_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
)

T = TypeVar("T")


class GatewayClient:
    def __init__(
        self,
        *,
        base_url: str,
        secret_key: str,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        max_retries: int = MAX_RETRIES,
        budget: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        """``budget``: seconds, counted from now, that all this client's calls may spend on the
        gateway together, retries and waits included; None for no limit but the retries'."""
        self._base_url = base_url.rstrip("/") + "/v1"
        self._secret_key = secret_key
        self._session = session or requests.Session()
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 (jitter, not cryptography)
        self._max_retries = max_retries
        self._clock = clock
        self._deadline = None if budget is None else clock() + budget

    # Checkout Sessions

    def checkout_session_create(
        self,
        *,
        idempotency_key: str,
        amount: int,
        currency: str = CURRENCY,
        description: str,
        payment_method_types: Sequence[str],
        success_url: str,
        cancel_url: str,
        client_reference_id: str,
        metadata: Mapping[str, str],
        expires_at: int | datetime | None = None,
    ) -> CheckoutSession:
        """A hosted payment page for ``amount`` whole rupiah, in one line. Moves money."""
        if currency != CURRENCY:
            raise ValueError(f"Amounts are whole rupiah; currency must be {CURRENCY!r}.")
        if amount <= 0:
            raise ValueError("A checkout session needs a positive amount.")
        params = {
            "mode": "payment",
            "line_items": [
                {
                    "price_data": {
                        "currency": currency,
                        "unit_amount": to_gateway_amount(amount),
                        "product_data": {"name": description},
                    },
                    "quantity": 1,
                }
            ],
            "payment_method_types": list(payment_method_types),
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": client_reference_id,
            "metadata": dict(metadata),
            # The intent carries our ids too, so its own events can be matched without the session.
            "payment_intent_data": {"metadata": dict(metadata)},
            "expires_at": expires_at,
        }
        data = self._post("/checkout/sessions", params, idempotency_key=idempotency_key)
        return self._parse(CheckoutSession.from_wire, data)

    def checkout_session_retrieve(self, id: str) -> CheckoutSession:
        return self._parse(CheckoutSession.from_wire, self._get(_path("checkout/sessions", id)))

    def checkout_session_expire(self, id: str, *, idempotency_key: str) -> CheckoutSession:
        data = self._post(
            _path("checkout/sessions", id) + "/expire", {}, idempotency_key=idempotency_key
        )
        return self._parse(CheckoutSession.from_wire, data)

    # Payment Intents

    def payment_intent_retrieve(self, id: str) -> PaymentIntent:
        return self._parse(PaymentIntent.from_wire, self._get(_path("payment_intents", id)))

    # Refunds

    def refund_create(
        self,
        *,
        idempotency_key: str,
        payment_intent: str,
        amount: int | None = None,
        reason: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> Refund:
        """Give back ``amount`` whole rupiah (all of it when None). Moves money."""
        if amount is not None and amount <= 0:
            raise ValueError("A refund needs a positive amount, or None for all of it.")
        params = {
            "payment_intent": payment_intent,
            "amount": None if amount is None else to_gateway_amount(amount),
            "reason": reason,
            "metadata": dict(metadata or {}),
        }
        data = self._post("/refunds", params, idempotency_key=idempotency_key)
        return self._parse(Refund.from_wire, data)

    def refund_retrieve(self, id: str) -> Refund:
        return self._parse(Refund.from_wire, self._get(_path("refunds", id)))

    # Events

    def event_list(
        self,
        *,
        type: str | None = None,
        created_gte: int | None = None,
        limit: int = 100,
        starting_after: str | None = None,
    ) -> ListPage[Event]:
        query = {
            "type": type,
            "created": {"gte": created_gte},
            "limit": limit,
            "starting_after": starting_after,
        }
        return self._list("/events", query, Event.from_wire)

    def iter_events(
        self, *, type: str | None = None, created_gte: int | None = None
    ) -> Iterator[Event]:
        return _auto_page(self.event_list, type=type, created_gte=created_gte)

    def event_retrieve(self, id: str) -> Event:
        return self._parse(Event.from_wire, self._get(_path("events", id)))

    # Balance Transactions

    def balance_transaction_list(
        self,
        *,
        payout: str | None = None,
        type: str | None = None,
        limit: int = 100,
        starting_after: str | None = None,
    ) -> ListPage[BalanceTransaction]:
        query = {"payout": payout, "type": type, "limit": limit, "starting_after": starting_after}
        return self._list("/balance_transactions", query, BalanceTransaction.from_wire)

    def iter_balance_transactions(
        self, *, payout: str | None = None, type: str | None = None
    ) -> Iterator[BalanceTransaction]:
        return _auto_page(self.balance_transaction_list, payout=payout, type=type)

    # Payouts

    def payout_list(
        self, *, limit: int = 100, starting_after: str | None = None
    ) -> ListPage[Payout]:
        query = {"limit": limit, "starting_after": starting_after}
        return self._list("/payouts", query, Payout.from_wire)

    def iter_payouts(self) -> Iterator[Payout]:
        return _auto_page(self.payout_list)

    def payout_retrieve(self, id: str) -> Payout:
        return self._parse(Payout.from_wire, self._get(_path("payouts", id)))

    # The wire

    def _get(self, path: str, query: Mapping[str, object] | None = None) -> dict[str, Any]:
        return self._request("GET", path, params=form_pairs(query or {}))

    def _post(
        self, path: str, params: Mapping[str, object], *, idempotency_key: str
    ) -> dict[str, Any]:
        if not idempotency_key:
            raise ValueError("Every POST to the gateway needs an idempotency key.")
        return self._request(
            "POST",
            path,
            data=form_encode(params),
            headers={
                "Idempotency-Key": idempotency_key,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )

    def _list(
        self, path: str, query: Mapping[str, object], item: Callable[[dict[str, Any]], T]
    ) -> ListPage[T]:
        data = self._get(path, query)
        return self._parse(lambda wire: ListPage.from_wire(wire, item), data)

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: list[tuple[str, str]] | None = None,
        data: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        all_headers = {
            "Authorization": f"Bearer {self._secret_key}",
            "Stripe-Version": STRIPE_VERSION,
            "Accept": "application/json",
            **(headers or {}),
        }
        url = self._base_url + path
        attempt = 0
        while True:
            attempt += 1
            may_retry = attempt <= self._max_retries
            timeout = self._timeout(method, path, attempt)
            try:
                response = self._session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=all_headers,
                    timeout=timeout,
                )
            except _NETWORK_ERRORS as exc:
                _log(method, path, "network_error", attempt, None)
                failure = APIConnectionError(
                    f"No answer from the payment gateway: {type(exc).__name__}."
                )
                self._wait_to_retry(method, path, attempt, may_retry, failure, cause=exc)
                continue
            _log(method, path, response.status_code, attempt, response.headers.get("Request-Id"))
            if response.ok:
                return _json_object(response)
            failure = _error(response)
            if not _retryable(response):
                raise failure
            self._wait_to_retry(method, path, attempt, may_retry, failure)

    def _remaining(self) -> float | None:
        """Seconds left of the budget; None without one."""
        if self._deadline is None:
            return None
        return max(0.0, self._deadline - self._clock())

    def _timeout(self, method: str, path: str, attempt: int) -> tuple[int, int] | Timeout:
        """This attempt's timeouts: the client's, cut to what is left of the budget (``total``
        bounds connecting and waiting for the answer together)."""
        left = self._remaining()
        if left is None:
            return (CONNECT_TIMEOUT, READ_TIMEOUT)
        if left < MIN_ATTEMPT_SECONDS:
            _log_exhausted(method, path, attempt, left)
            raise BudgetExhaustedError(
                "The time allowed for the payment gateway ran out before it could be asked."
            )
        return Timeout(
            total=left, connect=min(CONNECT_TIMEOUT, left), read=min(READ_TIMEOUT, left)
        )

    def _wait_to_retry(
        self,
        method: str,
        path: str,
        attempt: int,
        may_retry: bool,
        failure: GatewayError,
        *,
        cause: BaseException | None = None,
    ) -> None:
        """Wait before the next attempt; raise ``failure`` when the retries are used up, and
        ``BudgetExhaustedError`` when the wait would leave too little of the budget for it."""
        if not may_retry:
            raise failure from cause
        wait = self._backoff(attempt)
        left = self._remaining()
        if left is not None and left - wait < MIN_ATTEMPT_SECONDS:
            _log_exhausted(method, path, attempt, left)
            raise BudgetExhaustedError(
                f"The payment gateway did not answer in the time allowed: {failure.message}",
                http_status=failure.http_status,
                request_id=failure.request_id,
            ) from (cause or failure)
        self._sleep(wait)

    def _backoff(self, attempt: int) -> float:
        """Full jitter: anywhere between 0 and a ceiling that doubles per attempt, capped."""
        ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1))
        return self._rng.uniform(0, ceiling)

    def _parse(self, build: Callable[[dict[str, Any]], T], data: dict[str, Any]) -> T:
        try:
            return build(data)
        except (KeyError, TypeError, ValueError) as exc:
            # Includes an amount that is not whole rupiah: better refused than rounded.
            raise APIError(f"The payment gateway's answer could not be read: {exc!r}.") from exc


def _path(collection: str, id: str) -> str:
    if not id:
        raise ValueError(f"An id is needed to fetch from {collection}.")
    return f"/{collection}/{quote(id, safe='')}"


def _auto_page(fetch: Callable[..., ListPage[T]], **filters: object) -> Iterator[T]:
    starting_after = None
    while True:
        page = fetch(**filters, starting_after=starting_after)
        yield from page.data
        if not page.has_more or not page.data:
            return
        starting_after = page.data[-1].id


def _retryable(response: requests.Response) -> bool:
    verdict = response.headers.get("Stripe-Should-Retry")
    if verdict == "true":
        return True
    if verdict == "false":
        return False
    return response.status_code in _RETRY_STATUSES or response.status_code >= 500


def _json_object(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise APIError(
            "The payment gateway answered with something other than a JSON object.",
            http_status=response.status_code,
            request_id=response.headers.get("Request-Id"),
        )
    return data


def _error(response: requests.Response) -> GatewayError:
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        error = {}
    cls = error_class(error_type=error.get("type"), http_status=response.status_code)
    return cls(
        error.get("message") or f"The payment gateway answered HTTP {response.status_code}.",
        code=error.get("code"),
        http_status=response.status_code,
        request_id=response.headers.get("Request-Id"),
        param=error.get("param"),
        decline_code=error.get("decline_code"),
    )


def _log_exhausted(method: str, path: str, attempt: int, left: float) -> None:
    logger.warning(
        "gateway_budget_exhausted method=%s path=%s attempt=%s seconds_left=%.2f",
        method,
        path,
        attempt,
        left,
    )


def _log(method: str, path: str, status: int | str, attempt: int, request_id: str | None) -> None:
    # Path and ids only: the body can carry a business's name, and headers carry the secret key.
    logger.info(
        "gateway_request method=%s path=%s status=%s attempt=%s request_id=%s",
        method,
        path,
        status,
        attempt,
        request_id,
    )

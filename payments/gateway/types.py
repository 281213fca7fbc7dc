"""What the gateway returns, as frozen dataclasses with amounts in whole rupiah.

Each type is built by ``from_wire`` from the gateway's JSON; ``raw`` keeps that JSON for the
audit trail and is left out of equality and repr.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from payments.money import from_gateway_amount

T = TypeVar("T")


def _rupiah(minor: int | None) -> int | None:
    """Moves money: an unsigned wire amount to whole rupiah."""
    return None if minor is None else from_gateway_amount(minor)


def _signed_rupiah(minor: int) -> int:
    """Moves money: balance transactions carry refunds and payouts as negative amounts."""
    return -from_gateway_amount(-minor) if minor < 0 else from_gateway_amount(minor)


def _object_id(value: str | Mapping[str, Any] | None) -> str | None:
    """An id whether the gateway sent it bare or expanded into the object."""
    if isinstance(value, Mapping):
        return value.get("id")
    return value


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    status: str
    payment_status: str
    url: str | None
    payment_intent: str | None
    amount_total: int | None
    currency: str
    client_reference_id: str | None
    metadata: dict[str, str]
    expires_at: int | None
    created: int
    livemode: bool
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> "CheckoutSession":
        return cls(
            id=data["id"],
            status=data["status"],
            payment_status=data["payment_status"],
            url=data.get("url"),
            payment_intent=_object_id(data.get("payment_intent")),
            amount_total=_rupiah(data.get("amount_total")),
            currency=data["currency"],
            client_reference_id=data.get("client_reference_id"),
            metadata=dict(data.get("metadata") or {}),
            expires_at=data.get("expires_at"),
            created=data["created"],
            livemode=data.get("livemode", False),
            raw=data,
        )


@dataclass(frozen=True)
class BankInstructions:
    """What the payer must still do for a bank payment, from the intent's ``next_action``:
    transfer to a virtual account (``va_bank``, ``va_number``) or scan a QRIS code
    (``qris_data``), before ``expires_at`` (unix seconds) when the gateway gives a deadline.

    The one reader of ``next_action``. Another kind of action (a redirect, a card's 3-D Secure)
    is no bank instruction: None, and the payer follows the gateway's own page."""

    va_bank: str = ""
    va_number: str = ""
    qris_data: str = ""
    expires_at: int | None = None

    @classmethod
    def from_next_action(cls, action: Mapping[str, Any] | None) -> "BankInstructions | None":
        kind = (action or {}).get("type")
        details = (action or {}).get(kind) if kind else None
        if not isinstance(details, Mapping):
            return None
        expires_at = details.get("expires_at")
        expires_at = expires_at if isinstance(expires_at, int) and expires_at > 0 else None
        if kind == "va_display_details" and details.get("account_number"):
            return cls(va_bank=str(details.get("bank") or ""),
                       va_number=str(details["account_number"]), expires_at=expires_at)
        if kind == "qris_display_qr_code" and details.get("data"):
            return cls(qris_data=str(details["data"]), expires_at=expires_at)
        return None


@dataclass(frozen=True)
class PaymentIntent:
    id: str
    status: str
    amount: int
    amount_received: int
    currency: str
    latest_charge: str | None
    payment_method_types: tuple[str, ...]
    next_action: dict[str, Any] | None
    instructions: BankInstructions | None
    metadata: dict[str, str]
    created: int
    livemode: bool
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> "PaymentIntent":
        return cls(
            id=data["id"],
            status=data["status"],
            amount=from_gateway_amount(data["amount"]),
            amount_received=from_gateway_amount(data.get("amount_received") or 0),
            currency=data["currency"],
            latest_charge=_object_id(data.get("latest_charge")),
            payment_method_types=tuple(data.get("payment_method_types") or ()),
            next_action=data.get("next_action"),
            instructions=BankInstructions.from_next_action(data.get("next_action")),
            metadata=dict(data.get("metadata") or {}),
            created=data["created"],
            livemode=data.get("livemode", False),
            raw=data,
        )


@dataclass(frozen=True)
class Refund:
    id: str
    status: str
    amount: int
    currency: str
    payment_intent: str | None
    charge: str | None
    reason: str | None
    metadata: dict[str, str]
    created: int
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> "Refund":
        return cls(
            id=data["id"],
            status=data["status"],
            amount=from_gateway_amount(data["amount"]),
            currency=data["currency"],
            payment_intent=_object_id(data.get("payment_intent")),
            charge=_object_id(data.get("charge")),
            reason=data.get("reason"),
            metadata=dict(data.get("metadata") or {}),
            created=data["created"],
            raw=data,
        )


@dataclass(frozen=True)
class Event:
    """A notification that something changed. The snapshot in ``data_object`` is a hint only:
    the receiver re-fetches ``object_id`` from the gateway before acting on it."""

    id: str
    type: str
    created: int
    object_type: str
    object_id: str | None
    data_object: dict[str, Any]
    api_version: str | None
    request_id: str | None
    idempotency_key: str | None
    livemode: bool
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> "Event":
        snapshot = data["data"]["object"]
        request = data.get("request") or {}
        return cls(
            id=data["id"],
            type=data["type"],
            created=data["created"],
            object_type=snapshot.get("object", ""),
            object_id=snapshot.get("id"),
            data_object=snapshot,
            api_version=data.get("api_version"),
            request_id=request.get("id"),
            idempotency_key=request.get("idempotency_key"),
            livemode=data.get("livemode", False),
            raw=data,
        )


@dataclass(frozen=True)
class BalanceTransaction:
    """One movement on the gateway balance: ``amount`` gross, ``fee`` kept, ``net`` paid out."""

    id: str
    type: str
    status: str
    amount: int
    fee: int
    net: int
    currency: str
    source: str | None
    reporting_category: str | None
    available_on: int | None
    created: int
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> "BalanceTransaction":
        return cls(
            id=data["id"],
            type=data["type"],
            status=data["status"],
            amount=_signed_rupiah(data["amount"]),
            fee=_signed_rupiah(data.get("fee") or 0),
            net=_signed_rupiah(data["net"]),
            currency=data["currency"],
            source=_object_id(data.get("source")),
            reporting_category=data.get("reporting_category"),
            available_on=data.get("available_on"),
            created=data["created"],
            raw=data,
        )


@dataclass(frozen=True)
class Payout:
    id: str
    status: str
    amount: int
    currency: str
    arrival_date: int | None
    method: str | None
    description: str | None
    balance_transaction: str | None
    metadata: dict[str, str]
    created: int
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> "Payout":
        return cls(
            id=data["id"],
            status=data["status"],
            amount=from_gateway_amount(data["amount"]),
            currency=data["currency"],
            arrival_date=data.get("arrival_date"),
            method=data.get("method"),
            description=data.get("description"),
            balance_transaction=_object_id(data.get("balance_transaction")),
            metadata=dict(data.get("metadata") or {}),
            created=data["created"],
            raw=data,
        )


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """One page of a list; ``has_more`` says whether ``starting_after`` the last id finds more."""

    data: tuple[T, ...]
    has_more: bool
    url: str

    @classmethod
    def from_wire(cls, data: dict[str, Any], item: Callable[[dict[str, Any]], T]) -> "ListPage[T]":
        return cls(
            data=tuple(item(entry) for entry in data["data"]),
            has_more=bool(data["has_more"]),
            url=data.get("url", ""),
        )

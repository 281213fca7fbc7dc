"""API parameters checked the way Stripe checks them, with the same error shapes."""

from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .checkout import TEST_PAYMENT_METHODS
from .errors import InvalidRequest
from .models import Method

MAX_METADATA_KEYS = 50


def reject_unknown(params: dict, allowed: set[str]) -> None:
    for name in params:
        if name not in allowed:
            raise InvalidRequest(f"Received unknown parameter: {name}", code="parameter_unknown",
                                 param=name)


def text(params: dict, name: str, *, required: bool = False, max_length: int = 5000,
         label: str | None = None) -> str:
    label = label or name
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise InvalidRequest(f"Missing required param: {label}.", code="parameter_missing",
                                 param=label)
        return ""
    if not isinstance(value, str):
        raise InvalidRequest(f"Invalid string: {label}", code="parameter_invalid_string",
                             param=label)
    if len(value) > max_length:
        raise InvalidRequest(f"{label} must be at most {max_length} characters.",
                             code="parameter_invalid_string", param=label)
    return value


def integer(params: dict, name: str, *, required: bool = False, minimum: int | None = None,
            maximum: int | None = None, label: str | None = None) -> int | None:
    label = label or name
    raw = text(params, name, required=required, label=label)
    if raw == "":
        return None
    if not raw.lstrip("-").isdigit():
        raise InvalidRequest(f"Invalid integer: {raw}", code="parameter_invalid_integer",
                             param=label)
    value = int(raw)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise InvalidRequest(f"{label} must be {bounds}.", code="parameter_invalid_integer",
                             param=label)
    return value


def metadata(params: dict, name: str = "metadata") -> dict:
    value = params.get(name, {})
    if value == "":
        return {}
    if not isinstance(value, dict) or any(not isinstance(v, str) for v in value.values()):
        raise InvalidRequest("Invalid object", code="parameter_invalid_empty", param=name)
    if len(value) > MAX_METADATA_KEYS or any(len(k) > 40 or len(v) > 500
                                             for k, v in value.items()):
        raise InvalidRequest("Metadata allows 50 keys of up to 40 characters, values of up to "
                             "500 characters.", param=name)
    return {key: item for key, item in value.items() if item != ""}


def string_list(params: dict, name: str) -> list[str] | None:
    value = params.get(name)
    if value is None:
        return None
    if isinstance(value, str) or not all(isinstance(item, str) for item in value):
        raise InvalidRequest(f"Invalid array: {name}", code="parameter_invalid_array", param=name)
    return list(value)


def url(params: dict, name: str, *, required: bool = False) -> str:
    value = text(params, name, required=required, max_length=5000)
    if value and not value.startswith(("http://", "https://")):
        raise InvalidRequest(f"Not a valid URL: {name}", code="url_invalid", param=name)
    return value


def created_filter(queryset: QuerySet, params: dict, name: str = "created") -> QuerySet:
    """``created=<unix>`` or ``created[gt|gte|lt|lte]=<unix>``."""
    value = params.get(name)
    if value is None:
        return queryset
    if isinstance(value, str):
        value = {"eq": value}
    if not isinstance(value, dict) or set(value) - {"eq", "gt", "gte", "lt", "lte"}:
        raise InvalidRequest(f"Invalid {name} filter.", param=name)
    lookups = {"eq": "", "gt": "__gt", "gte": "__gte", "lt": "__lt", "lte": "__lte"}
    for op in value:
        seconds = integer(value, op, required=True, label=f"{name}[{op}]")
        moment = datetime.fromtimestamp(seconds, tz=UTC)
        if op == "eq":
            # One second wide: the wire speaks whole seconds, the records microseconds.
            queryset = queryset.filter(Q(**{f"{name}__gte": moment})
                                       & Q(**{f"{name}__lt": moment + timedelta(seconds=1)}))
        else:
            if op in ("gt", "lte"):
                moment += timedelta(seconds=1)
                op = {"gt": "gte", "lte": "lt"}[op]
            queryset = queryset.filter(**{f"{name}{lookups[op]}": moment})
    return queryset


def checkout_session_fields(params: dict) -> dict:
    """The parameters of POST /v1/checkout/sessions, checked and totalled."""
    reject_unknown(params, {
        "mode", "line_items", "payment_method_types", "success_url", "cancel_url",
        "client_reference_id", "customer_email", "metadata", "expires_at", "payment_intent_data",
        "locale",
    })
    if text(params, "mode", required=True) != "payment":
        raise InvalidRequest("The sandbox supports mode=payment only.", param="mode")
    items, currency, total = _line_items(params.get("line_items"))
    methods = string_list(params, "payment_method_types") or [m.value for m in Method]
    for index, method in enumerate(methods):
        if method not in Method.values:
            raise InvalidRequest(
                f"Invalid payment_method_types[{index}]: must be one of card, va, or qris",
                code="parameter_invalid_string", param=f"payment_method_types[{index}]")
    intent_data = params.get("payment_intent_data", {})
    if not isinstance(intent_data, dict):
        raise InvalidRequest("Invalid object", param="payment_intent_data")
    reject_unknown({f"payment_intent_data[{k}]": v for k, v in intent_data.items()},
                   {"payment_intent_data[metadata]", "payment_intent_data[description]"})
    now = timezone.now()
    expires = integer(params, "expires_at")
    if expires is None:
        expires_at = now + timedelta(hours=24)
    else:
        expires_at = datetime.fromtimestamp(expires, tz=UTC)
        if not timedelta(minutes=30) <= expires_at - now <= timedelta(hours=24, minutes=1):
            raise InvalidRequest("The `expires_at` timestamp must be between 30 minutes and 24 "
                                 "hours from Checkout Session creation.", param="expires_at")
    return {
        "line_items": items,
        "currency": currency,
        "amount_total": total,
        "payment_method_types": list(dict.fromkeys(methods)),
        "success_url": url(params, "success_url", required=True),
        "cancel_url": url(params, "cancel_url"),
        "client_reference_id": text(params, "client_reference_id", max_length=200),
        "customer_email": text(params, "customer_email", max_length=512),
        "metadata": metadata(params),
        "expires_at": expires_at,
        "description": text(intent_data, "description", max_length=1000,
                            label="payment_intent_data[description]"),
        "intent_metadata": metadata(intent_data, "metadata"),
    }


def _line_items(value) -> tuple[list[dict], str, int]:
    if not value or not isinstance(value, list):
        raise InvalidRequest("Missing required param: line_items.", code="parameter_missing",
                             param="line_items")
    items, currencies, total = [], set(), 0
    for index, item in enumerate(value):
        at = f"line_items[{index}]"
        if not isinstance(item, dict):
            raise InvalidRequest("Invalid object", param=at)
        reject_unknown({f"{at}[{k}]": v for k, v in item.items()},
                       {f"{at}[price_data]", f"{at}[quantity]"})
        price = item.get("price_data")
        if not isinstance(price, dict):
            raise InvalidRequest("Missing required param: price_data (the sandbox has no "
                                 "stored prices).", code="parameter_missing",
                                 param=f"{at}[price_data]")
        currency = text(price, "currency", required=True, label=f"{at}[price_data][currency]")
        unit_amount = integer(price, "unit_amount", required=True, minimum=0,
                              label=f"{at}[price_data][unit_amount]")
        product = price.get("product_data")
        name = text(product if isinstance(product, dict) else {}, "name", required=True,
                    label=f"{at}[price_data][product_data][name]")
        quantity = integer(item, "quantity", required=True, minimum=1, label=f"{at}[quantity]")
        currencies.add(currency.lower())
        total += unit_amount * quantity
        items.append({"description": name, "quantity": quantity, "unit_amount": unit_amount,
                      "amount_total": unit_amount * quantity, "currency": currency.lower()})
    if len(currencies) != 1:
        raise InvalidRequest("All line items must share one currency.", param="line_items")
    if total <= 0:
        raise InvalidRequest("The total must be greater than zero.", param="line_items")
    return items, currencies.pop(), total


def payment_intent_confirm_fields(params: dict) -> dict:
    """A test payment method (``pm_card_visa`` …) or ``payment_method_data`` for VA / QRIS."""
    reject_unknown(params, {"payment_method", "payment_method_data", "return_url"})
    test_method = text(params, "payment_method")
    if test_method:
        if test_method not in TEST_PAYMENT_METHODS:
            raise InvalidRequest(f"No such PaymentMethod: '{test_method}'",
                                 code="resource_missing", param="payment_method")
        return {"method": Method.CARD, "card_number": TEST_PAYMENT_METHODS[test_method],
                "bank": ""}
    data = params.get("payment_method_data")
    if not isinstance(data, dict):
        raise InvalidRequest("Missing required param: payment_method.",
                             code="parameter_missing", param="payment_method")
    method = text(data, "type", required=True, label="payment_method_data[type]")
    if method not in (Method.VA, Method.QRIS):
        raise InvalidRequest("payment_method_data[type] must be va or qris (cards: use a test "
                             "payment method).", param="payment_method_data[type]")
    bank_data = data.get("va", {})
    bank = text(bank_data if isinstance(bank_data, dict) else {}, "bank",
                label="payment_method_data[va][bank]")
    return {"method": method, "card_number": "", "bank": bank}


def refund_fields(params: dict) -> dict:
    reject_unknown(params, {"payment_intent", "amount", "metadata", "reason"})
    reason = text(params, "reason")
    if reason and reason not in ("duplicate", "fraudulent", "requested_by_customer"):
        raise InvalidRequest(f"Invalid reason: {reason}", param="reason")
    return {
        "payment_intent": text(params, "payment_intent", required=True),
        "amount": integer(params, "amount", minimum=1),
        "metadata": metadata(params),
        "reason": reason,
    }

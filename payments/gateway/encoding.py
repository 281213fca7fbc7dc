"""Stripe's form encoding: nested dicts and lists flattened into bracketed keys.

``{"metadata": {"invoice": "42"}, "payment_method_types": ["card"]}`` travels as
``metadata[invoice]=42&payment_method_types[0]=card``. ``None`` is left out (Stripe reads an
absent key as "not given"; an empty string would clear the field), booleans travel as
``true``/``false``, datetimes as unix seconds.
"""

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from urllib.parse import urlencode


def form_pairs(params: Mapping[str, object]) -> list[tuple[str, str]]:
    """Flatten ``params`` into ordered (key, value) pairs, keys bracketed as Stripe expects."""
    return list(_flatten(params, prefix=None))


def form_encode(params: Mapping[str, object]) -> str:
    return urlencode(form_pairs(params))


def _flatten(value: object, prefix: str | None) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _flatten(item, str(key) if prefix is None else f"{prefix}[{key}]")
        return
    if prefix is None:
        raise TypeError("Only a mapping can be form-encoded at the top level.")
    if value is None:
        return
    if isinstance(value, bool):
        yield prefix, "true" if value else "false"
    elif isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{prefix} must be an aware datetime.")
        yield prefix, str(int(value.timestamp()))
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        for index, item in enumerate(value):
            yield from _flatten(item, f"{prefix}[{index}]")
    else:
        yield prefix, str(value)

"""The only converter between whole rupiah and the gateway's minor units.

Izin keeps every amount in whole rupiah (IDR has no minor unit in use). Stripe's wire treats IDR
as a two-decimal currency, so Rp 1 travels as 100; this module is the one place that knows it.
Both directions refuse what cannot be a bill or a refund (fractions, negatives, floats), so an
amount never changes silently on its way through.
"""

CURRENCY = "idr"
_MINOR_PER_RUPIAH = 100


def _require_int(value, name: str) -> None:
    # bool is an int to Python; a float or Decimal would hide a rounding bug upstream.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}.")


def to_gateway_amount(rupiah: int) -> int:
    """Whole rupiah to the gateway's minor units: Rp 1.500 → 150000. Moves money."""
    _require_int(rupiah, "rupiah")
    if rupiah < 0:
        raise ValueError(f"{rupiah} is negative; the gateway takes amounts of zero or more.")
    return rupiah * _MINOR_PER_RUPIAH


def from_gateway_amount(minor: int) -> int:
    """The gateway's minor units to whole rupiah; refuses fractions and negatives. Moves money."""
    _require_int(minor, "minor")
    if minor < 0 or minor % _MINOR_PER_RUPIAH:
        raise ValueError(f"{minor} is not a whole, non-negative rupiah amount in minor units.")
    return minor // _MINOR_PER_RUPIAH

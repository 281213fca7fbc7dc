"""Order statistics the evaluation reports, defined once: the office's figures and the public
page must agree to the day."""

import math
from decimal import ROUND_HALF_UP, Decimal


def median(values: list[int]) -> Decimal | None:
    """The middle value; with an even count, the mean of the two middle ones."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return (Decimal(ordered[middle - 1]) + Decimal(ordered[middle])) / 2


def percentile(values: list[int], share: int) -> int | None:
    """The nearest-rank percentile: the smallest value with at least ``share`` % of the values
    at or below it (so always one of the values, a whole number of days)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(math.ceil(share / 100 * len(ordered)), 1)
    return ordered[rank - 1]


def share_of(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, one decimal; None of nothing."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"),
                                                            rounding=ROUND_HALF_UP)

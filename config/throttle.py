"""Counting requests per client in Django's cache (Redis in production, shared by every web
node): the rate limits of the public forms."""

import time

from django.core.cache import cache


def allow(*, bucket: str, client: str, limit: int, window: int = 60,
          now: float | None = None) -> bool:
    """Count one request; False once ``client`` made more than ``limit`` in this window of
    ``window`` seconds."""
    slot = int((time.time() if now is None else now) // window)
    key = f"throttle:{bucket}:{client}:{slot}"
    # add() sets only when absent, so two requests starting a window do not reset each other.
    cache.add(key, 0, timeout=window * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens the window
        cache.set(key, 1, timeout=window * 2)
        count = 1
    return count <= limit

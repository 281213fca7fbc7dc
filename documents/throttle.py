"""Per-client rate limits for the public endpoints, counted in Django's cache."""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _

from config.client_address import client_address

WINDOW_SECONDS = 60


def allow(*, bucket: str, client: str, limit: int, now: float | None = None) -> bool:
    """Count one request; False once ``client`` made more than ``limit`` in this minute."""
    window = int((time.time() if now is None else now) // WINDOW_SECONDS)
    key = f"throttle:{bucket}:{client}:{window}"
    # add() sets only when absent, so two requests starting a window do not reset each other.
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens the window
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    return count <= limit


def throttled(bucket_for_request):
    """Answer 429 once the client's bucket (chosen per request) is spent."""
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            bucket = bucket_for_request(request)
            if not allow(bucket=bucket, client=client_address(request),
                         limit=settings.VERIFY_RATE_LIMITS[bucket]):
                response = HttpResponse(
                    _("Too many requests from your address. Please wait a minute and try "
                      "again."), status=429, content_type="text/plain; charset=utf-8")
                response["Retry-After"] = str(WINDOW_SECONDS)
                return response
            return view(request, *args, **kwargs)
        return wrapper
    return decorator

"""Per-client rate limits for the public endpoints, counted in Django's cache."""

from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from config.client_address import client_address
from config.throttle import allow

WINDOW_SECONDS = 60


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

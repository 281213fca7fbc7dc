"""Refusing a request body by its declared size, before anything reads it.

Django's CSRF check reads ``request.POST`` before the view runs, and for a multipart form that
streams the whole upload to a temporary file first; a view that checks the size only then has
already taken every byte. A view marked with ``@body_limit(...)`` is answered 413 from its
``Content-Length`` alone, by the middleware below, which sits before the CSRF middleware.
A body without a Content-Length is read as empty by Django's WSGI request, so it cannot slip by.
"""

from collections.abc import Callable

from django.http import HttpResponse
from django.utils.translation import gettext as _

# Room for a multipart form's boundaries, headers and small fields (the CSRF token) beside the
# file itself: a file just under its own limit must still pass here and meet the view's check.
MULTIPART_SLACK_BYTES = 64 * 1024


def body_limit(max_bytes: Callable[[], int], *, refused: Callable | None = None):
    """Mark a view: a request declaring more than ``max_bytes()`` plus the multipart slack is
    refused before it is read. A callable, so the limit follows the settings of the moment.
    ``refused(request, declared_bytes, *view_args, **view_kwargs)``, if given, answers instead of
    the plain 413 (a page can send the person back to where they chose the file)."""
    def decorator(view):
        view.max_body_bytes = max_bytes
        view.body_refused = refused
        return view
    return decorator


def declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django reads such a body as empty too


class DeclaredBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = getattr(view_func, "max_body_bytes", None)
        if limit is None:
            return None
        allowed = limit()
        declared = declared_length(request)
        if declared <= allowed + MULTIPART_SLACK_BYTES:
            return None
        refused = getattr(view_func, "body_refused", None)
        if refused is not None:
            return refused(request, declared, *view_args, **view_kwargs)
        return HttpResponse(
            _("The file is larger than %(limit)s MB and was not read. Choose a smaller file.")
            % {"limit": max(allowed // (1024 * 1024), 1)},
            status=413, content_type="text/plain; charset=utf-8",
        )

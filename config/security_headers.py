"""Response headers that tell the browser what a page may do: the Content-Security-Policy
(django-csp, with the payment gateway's origin added from the settings of the moment) and the
Permissions-Policy.

The policy itself lives in the settings (``CONTENT_SECURITY_POLICY``); this module adds only what
must be read per request: the gateway's origin (tests and the sandbox point it at a live server)
and the one page that is not Izin's own, the sandbox's hosted checkout.
"""

from dataclasses import replace
from urllib.parse import urlsplit

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings


def gateway_origin(url: str) -> str | None:
    """``https://pay.example.id/v1`` → ``https://pay.example.id``; None for no (or no absolute)
    address."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, plus the gateway's origin in ``form-action``: paying posts to
    Izin, which answers with a redirect to the gateway's checkout, and browsers hold a form's
    redirects to ``form-action`` too."""

    def get_policy_parts(self, request, response, report_only: bool = False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        update = {key: list(value) for key, value in (parts.update or {}).items()}
        # A real gateway's hosted checkout may live on another origin than its API (Stripe's
        # does): PAYMENT_CHECKOUT_ORIGINS names those.
        origins = [gateway_origin(settings.PAYMENT_GATEWAY_URL),
                   *(gateway_origin(url) for url in settings.PAYMENT_CHECKOUT_ORIGINS)]
        origins = [origin for origin in origins if origin]
        if origins:
            update["form-action"] = [*update.get("form-action", []), *origins]
        match = getattr(request, "resolver_match", None)
        if match is not None and "sandbox" in match.namespaces:
            # The sandbox stands for the gateway's own site (never on a live site): its page
            # keeps its own inline look, as an outside gateway's page would. Izin's pages never.
            update["style-src"] = [SELF, UNSAFE_INLINE]
        return replace(parts, update=update or None)


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY``: browser features (camera,
    microphone, location…) no page of Izin uses are switched off, so injected code cannot ask
    for them either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = ", ".join(
                f"{feature}=({' '.join(allowed)})"
                for feature, allowed in settings.PERMISSIONS_POLICY.items()
            )
        return response

"""Izin's client for a Stripe-compatible payment gateway (the Stripe API subset Izin uses).

``gateway_client()`` is the one place that reads the gateway's settings; everything below takes
its configuration as arguments, so it can be tested without Django.
"""

from django.conf import settings

from .client import GatewayClient


def gateway_client() -> GatewayClient:
    """A client for the configured gateway (the sandbox locally, a real one in production)."""
    return GatewayClient(
        base_url=settings.PAYMENT_GATEWAY_URL,
        secret_key=settings.PAYMENT_GATEWAY_SECRET_KEY,
    )

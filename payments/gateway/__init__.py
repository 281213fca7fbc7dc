"""Izin's client for a Stripe-compatible payment gateway (the Stripe API subset Izin uses).

``gateway_client()`` is the one place that reads the gateway's settings; everything below takes
its configuration as arguments, so it can be tested without Django.
"""

from django.conf import settings

from .client import GatewayClient


def gateway_client(*, interactive: bool = False) -> GatewayClient:
    """A client for the configured gateway (the sandbox locally, a real one in production).

    ``interactive``: for a web request, which must answer before the server gives up on it. All
    the client's calls then share ``PAYMENT_GATEWAY_INTERACTIVE_BUDGET_SECONDS``, counted from
    now, and raise ``BudgetExhaustedError`` when it runs out. Tasks keep the full retries.
    """
    return GatewayClient(
        base_url=settings.PAYMENT_GATEWAY_URL,
        secret_key=settings.PAYMENT_GATEWAY_SECRET_KEY,
        budget=settings.PAYMENT_GATEWAY_INTERACTIVE_BUDGET_SECONDS if interactive else None,
    )

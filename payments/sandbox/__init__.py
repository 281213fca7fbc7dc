"""A Stripe-compatible stand-in gateway, so the whole payment flow runs on one machine.

It plays an external system: it never imports Izin's payment models or services and reaches Izin
only by signed webhooks over HTTP. Enabled by ``PAYMENT_SANDBOX_ENABLED``; never in production
unless someone asks for it.
"""

"""The sandbox gateway's own records: what a Stripe account would hold.

Amounts are in the wire's minor units (IDR travels with two decimals: Rp 1 = 100), exactly as
the API receives and returns them; the sandbox never converts. Ids are Stripe-shaped public ids
(``cs_…``, ``pi_…``) and serve as primary keys. Lists are ordered newest first by
(``created``, ``id``), which is also the pagination cursor.
"""

import secrets
import string

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_ALPHABET = string.ascii_letters + string.digits


def new_id(prefix: str) -> str:
    """A Stripe-shaped id: the object's prefix and 24 random alphanumerics."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(24))


class Method(models.TextChoices):
    CARD = "card", _("Card")
    VA = "va", _("Bank virtual account")
    QRIS = "qris", _("QRIS")


ASYNC_METHODS = (Method.VA, Method.QRIS)


class StripeObject(models.Model):
    id = models.CharField(primary_key=True, max_length=64, editable=False)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created", "-id"]

    def __str__(self):
        return self.id


class PaymentIntent(StripeObject):
    class Status(models.TextChoices):
        REQUIRES_PAYMENT_METHOD = "requires_payment_method"
        PROCESSING = "processing"
        SUCCEEDED = "succeeded"
        CANCELED = "canceled"

    amount = models.BigIntegerField()
    amount_received = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=32, choices=Status.choices, default=Status.REQUIRES_PAYMENT_METHOD
    )
    description = models.CharField(max_length=1000, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    payment_method_types = models.JSONField(default=list)
    # The method the payer chose; VA and QRIS keep their payment instructions here.
    method = models.CharField(max_length=8, choices=Method.choices, blank=True)
    va_bank = models.CharField(max_length=16, blank=True)
    va_number = models.CharField(max_length=32, blank=True)
    qris_data = models.TextField(blank=True)
    last_payment_error = models.JSONField(null=True, blank=True)
    latest_charge = models.ForeignKey(
        "Charge", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    canceled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(max_length=32, blank=True)

    class Meta(StripeObject.Meta):
        verbose_name = _("payment intent")


class CheckoutSession(StripeObject):
    class Status(models.TextChoices):
        OPEN = "open"
        COMPLETE = "complete"
        EXPIRED = "expired"

    class PaymentStatus(models.TextChoices):
        UNPAID = "unpaid"
        PAID = "paid"

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    payment_status = models.CharField(
        max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    mode = models.CharField(max_length=16, default="payment")
    currency = models.CharField(max_length=3)
    amount_total = models.BigIntegerField()
    line_items = models.JSONField(default=list)
    payment_method_types = models.JSONField(default=list)
    success_url = models.URLField(max_length=5000)
    cancel_url = models.URLField(max_length=5000, blank=True)
    client_reference_id = models.CharField(max_length=200, blank=True)
    customer_email = models.CharField(max_length=512, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    expires_at = models.DateTimeField()
    # The hosted page's absolute address, as seen by the API client that created the session.
    hosted_url = models.URLField(max_length=2000)
    payment_intent = models.OneToOneField(
        PaymentIntent, on_delete=models.PROTECT, related_name="checkout_session"
    )

    class Meta(StripeObject.Meta):
        verbose_name = _("checkout session")


class BalanceTransaction(StripeObject):
    class Type(models.TextChoices):
        CHARGE = "charge"
        REFUND = "refund"

    type = models.CharField(max_length=16, choices=Type.choices)
    amount = models.BigIntegerField()
    fee = models.BigIntegerField(default=0)
    net = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=1000, blank=True)
    source = models.CharField(max_length=64, db_index=True)
    method = models.CharField(max_length=8, choices=Method.choices, blank=True)
    # Pending until then, available after: the status is read from the clock, never stored.
    available_on = models.DateTimeField()
    payout = models.ForeignKey(
        "Payout",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="balance_transactions",
    )

    class Meta(StripeObject.Meta):
        verbose_name = _("balance transaction")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(net=models.F("amount") - models.F("fee")),
                name="sandbox_balance_net_is_amount_less_fee",
            )
        ]

    @property
    def status(self) -> str:
        return "available" if self.available_on <= timezone.now() else "pending"


class Charge(StripeObject):
    class Status(models.TextChoices):
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    payment_intent = models.ForeignKey(
        PaymentIntent, on_delete=models.PROTECT, related_name="charges"
    )
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=Status.choices)
    method = models.CharField(max_length=8, choices=Method.choices)
    card_brand = models.CharField(max_length=16, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    va_bank = models.CharField(max_length=16, blank=True)
    failure_code = models.CharField(max_length=64, blank=True)
    decline_code = models.CharField(max_length=64, blank=True)
    failure_message = models.CharField(max_length=500, blank=True)
    balance_transaction = models.OneToOneField(
        BalanceTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="charge"
    )

    class Meta(StripeObject.Meta):
        verbose_name = _("charge")


class Refund(StripeObject):
    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"

    payment_intent = models.ForeignKey(
        PaymentIntent, on_delete=models.PROTECT, related_name="refunds"
    )
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="refunds")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.CharField(max_length=32, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    balance_transaction = models.OneToOneField(
        BalanceTransaction, on_delete=models.PROTECT, related_name="refund"
    )

    class Meta(StripeObject.Meta):
        verbose_name = _("refund")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="sandbox_refund_positive")
        ]


class Payout(StripeObject):
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    # The business day this payout closes; one payout per day and currency, however often run.
    for_date = models.DateField()
    arrival_date = models.DateField()
    status = models.CharField(max_length=16, default="paid")
    description = models.CharField(max_length=200, blank=True)
    destination = models.CharField(max_length=64)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta(StripeObject.Meta):
        verbose_name = _("payout")
        constraints = [
            models.UniqueConstraint(
                fields=["for_date", "currency"], name="sandbox_one_payout_per_day"
            )
        ]


class Event(StripeObject):
    type = models.CharField(max_length=64, db_index=True)
    # The object as it was when the event happened, in its API shape.
    data = models.JSONField()
    api_version = models.CharField(max_length=32)
    request_id = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=255, blank=True)

    class Meta(StripeObject.Meta):
        verbose_name = _("event")


class WebhookDelivery(models.Model):
    """One event on its way to one endpoint: every attempt counted, the last outcome kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RETRYING = "retrying", _("retrying")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed (gave up)")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    url = models.URLField(max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Set while one worker is sending, so two workers never send the same attempt.
    claimed_until = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "url"], name="sandbox_one_delivery_per_url")
        ]

    def __str__(self):
        return f"{self.event_id} → {self.url}"


class IdempotentRequest(models.Model):
    """The first response to a POST with an Idempotency-Key, replayed for every repeat."""

    api_key_digest = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveIntegerField()
    body = models.JSONField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["api_key_digest", "key"], name="sandbox_idempotency_key_once"
            )
        ]

    def __str__(self):
        return self.key

"""The outbox: what happened (``Event``, written in the transaction of the change), who wants
to hear of it (``Subscription``) and each event's way to each subscriber (``Delivery``)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One change, as subscribers receive it. ``sequence`` counts the events of one object
    (1, 2, 3 …): deliveries of an object go out in that order, and a receiver can see a gap."""

    uid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    topic = models.CharField(_("topic"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("object id"))
    sequence = models.PositiveIntegerField(_("sequence"))
    # Ids, numbers, states and dates only: no personal data beyond what a subscriber needs.
    payload = models.JSONField(_("payload"), default=dict)
    occurred_at = models.DateTimeField(_("occurred at"))

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-pk"]
        constraints = [
            # The callers publish under the object's row lock; this makes a race loud.
            models.UniqueConstraint(fields=["object_type", "object_id", "sequence"],
                                    name="event_one_sequence_per_object"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.object_type}:{self.object_id} #{self.sequence}"


class Subscription(models.Model):
    """A system that receives events by HTTPS POST, each body in its ``shape``. Its signing
    secret never enters the database: ``secret_name`` names an entry of
    ``EVENTS_SUBSCRIPTION_SECRETS`` (from the environment), so a database dump or the admin never
    shows it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    url = models.URLField(_("URL"), max_length=500)
    # Empty: every topic.
    topics = models.JSONField(_("topics"), default=list, blank=True)
    secret_name = models.CharField(
        _("secret name"), max_length=60,
        help_text=_("The name of its secret in EVENTS_SUBSCRIPTION_SECRETS, not the secret."),
    )
    # A name of ``events.shapes``, registered by the app that writes it; not choices here, as
    # the apps above decide which exist (the admin offers those registered).
    shape = models.CharField(
        _("shape"), max_length=40, default="json",
        help_text=_("What the body looks like: \"json\" (the event's envelope) or a file "
                    "an app registers, such as \"sipkd\"."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def wants(self, topic: str) -> bool:
        return not self.topics or topic in self.topics


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("pending")
    RETRYING = "retrying", _("failed, will retry")
    DELIVERED = "delivered", _("delivered")
    GIVEN_UP = "given_up", _("given up")


# What the sweep sends and what holds a later event of the same object back.
UNSETTLED = (DeliveryState.PENDING, DeliveryState.RETRYING)


class Delivery(models.Model):
    """One event on its way to one subscriber, and what its attempts came to."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries",
                              verbose_name=_("event"))
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE,
                                     related_name="deliveries", verbose_name=_("subscription"))
    state = models.CharField(_("state"), max_length=16, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last status code"), null=True,
                                                        blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"],
                                    name="delivery_once_per_event_and_subscription"),
        ]
        indexes = [
            # The sweep: unsettled deliveries whose time has come.
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription}"

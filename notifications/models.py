"""Who hears of what, and how: each person's channels and language, the notices themselves (the
in-app list), and one delivery per notice and outside channel (e-mail, SMS, WhatsApp)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.phones import validate_phone


class DeliveryChannel(models.TextChoices):
    """The outside channels. The in-app notice is the ``Notification`` row itself."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Preference(models.Model):
    """How one person wants to be told. Made with the defaults the first time it is needed
    (``services.preference_for``): e-mail on, Indonesian."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference", verbose_name=_("user"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    email = models.BooleanField(_("e-mail"), default=True)
    sms = models.BooleanField(_("SMS"), default=False)
    whatsapp = models.BooleanField(_("WhatsApp"), default=False)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True,
                             validators=[validate_phone])
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class Notification(models.Model):
    """One event told to one person, in their language as it was when it happened. The text is
    stored rendered: the list and every channel show the same words, whatever changes later."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("recipient"))
    # The caller's key of the event ("application:42:submitted"): once per person and event.
    event_key = models.CharField(_("event"), max_length=200)
    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"],
                                    name="notification_once_per_event"),
        ]
        indexes = [
            # The header's unread badge on every page: a count over this small index only.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    """A notice sent (or to be sent) on one outside channel. The address is the one the person
    had when it happened: changing it later does not redirect what was already on its way."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE,
                                     related_name="deliveries", verbose_name=_("notification"))
    channel = models.CharField(_("channel"), max_length=16, choices=DeliveryChannel.choices)
    address = models.CharField(_("address"), max_length=254)
    state = models.CharField(_("state"), max_length=16, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # The kind of failure and the provider's short reason; never the message or a credential.
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # When the next attempt is due (now, or after a retry's wait). The sweep sends a pending
    # delivery again only well past it: before that its task may still be on its way.
    due_at = models.DateTimeField(_("due at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"],
                                    name="delivery_once_per_channel"),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(state=DeliveryState.PENDING),
                         name="delivery_pending_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.notification_id}"


class SandboxMessage(models.Model):
    """What the sandbox channel "sent" (tests, demos): read it instead of a phone."""

    channel = models.CharField(_("channel"), max_length=16, choices=DeliveryChannel.choices)
    to = models.CharField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("sandbox message")
        verbose_name_plural = _("sandbox messages")
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.channel} {self.subject}"


class SandboxOutage(models.Model):
    """The sandbox channel's next ``remaining`` sends fail (``sandbox.fail_next``). In the
    database, not a cache: a real worker process must see the same counter as the test."""

    channel = models.CharField(_("channel"), max_length=16, choices=DeliveryChannel.choices,
                               unique=True)
    remaining = models.PositiveIntegerField(_("failures left"), default=0)

    class Meta:
        verbose_name = _("sandbox outage")
        verbose_name_plural = _("sandbox outages")

    def __str__(self) -> str:
        return f"{self.channel} ×{self.remaining}"

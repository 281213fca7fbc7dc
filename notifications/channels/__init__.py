"""The outside channels. A channel sends one message to one address; nothing more.

A backend is a class named by a dotted path in the settings (``NOTIFICATIONS_SMS_BACKEND``,
``NOTIFICATIONS_WHATSAPP_BACKEND``; e-mail is always ``EmailChannel`` and Django's
EMAIL_BACKEND decides console or SMTP). It is built with the channel's name
(``Backend(channel="sms")``) so one class can serve several channels.
"""

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class ChannelError(Exception):
    """A passing failure (provider down, timeout, refused for now): try again later. Its
    message is stored and shown in the admin, so it must never carry a key or a password."""


class Channel(Protocol):
    def send(self, *, to: str, subject: str, body: str) -> None: ...


def channel_for(name: str) -> Channel:
    """The backend that sends on ``name`` ("email", "sms", "whatsapp")."""
    if name == "email":
        from notifications.channels.email import EmailChannel

        return EmailChannel(channel=name)
    dotted = {"sms": settings.NOTIFICATIONS_SMS_BACKEND,
              "whatsapp": settings.NOTIFICATIONS_WHATSAPP_BACKEND}[name]
    return import_string(dotted)(channel=name)

from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail

from notifications.channels import ChannelError


class EmailChannel:
    """Django's mail: the console on a developer's machine, SMTP in production."""

    def __init__(self, *, channel: str = "email"):
        self.channel = channel

    def send(self, *, to: str, subject: str, body: str) -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
        except (SMTPException, OSError) as error:
            # The server's reply code, not its text: that may quote the address or the message.
            code = getattr(error, "smtp_code", None) or getattr(error, "errno", None)
            raise ChannelError(f"{type(error).__name__} {code or ''}".strip()) from error

"""A channel that keeps what it sends in the database (``SandboxMessage``), and can be told to
fail for a while (``fail_next``): tests, and a real worker in a test, read the same rows."""

from django.db.models import F

from notifications.channels import ChannelError
from notifications.models import SandboxMessage, SandboxOutage


def fail_next(channel: str, times: int) -> None:
    """The next ``times`` sends on ``channel`` raise ``ChannelError``."""
    SandboxOutage.objects.update_or_create(channel=channel, defaults={"remaining": times})


class SandboxChannel:
    def __init__(self, *, channel: str = "sms"):
        self.channel = channel

    def send(self, *, to: str, subject: str, body: str) -> None:
        # One conditional UPDATE takes a failure off the counter: two sends at once never
        # both take the last one. It commits with the caller's failure record.
        if SandboxOutage.objects.filter(channel=self.channel, remaining__gt=0).update(
                remaining=F("remaining") - 1):
            raise ChannelError(f"sandbox {self.channel} is down")
        SandboxMessage.objects.create(channel=self.channel, to=to, subject=subject[:300],
                                      body=body)

import logging
import sys

logger = logging.getLogger("izin.notifications.console")


class ConsoleChannel:
    """Prints what an SMS or WhatsApp message would say (``make run``): nothing leaves the
    machine. Development only, so the address and the text may be shown."""

    def __init__(self, *, channel: str = "sms"):
        self.channel = channel

    def send(self, *, to: str, subject: str, body: str) -> None:
        text = f"[{self.channel}] to {to}: {subject}\n{body}"
        logger.info("%s", text)
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

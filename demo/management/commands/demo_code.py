"""`manage.py demo_code <e-mail>`: the code a demo staff account's authenticator app would show
now, so the demo can be tried without a phone. The demo app exists in local and test settings
only."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.people import DEMO_DEVICE


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo staff account."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        device = TOTPDevice.objects.filter(user__email=email.strip().lower(),
                                           name=DEMO_DEVICE).first()
        if device is None:
            raise CommandError(f"{email} has no demo authenticator (only demo staff do).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")

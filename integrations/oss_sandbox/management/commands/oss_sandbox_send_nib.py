from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from integrations.oss_sandbox.models import RegistryBusiness
from integrations.oss_sandbox.registry import send_nib


class Command(BaseCommand):
    help = ("Send a business of the OSS sandbox registry to Izin's receiveNIB endpoint, as OSS "
            "does. The API key (scope \"oss\") comes from OSS_SANDBOX_IZIN_API_KEY in the "
            "environment, never from the command line (it would stay in the shell's history).")

    def add_arguments(self, parser):
        parser.add_argument("nib")
        parser.add_argument("--url", default="http://127.0.0.1:8000/api/v1/oss/receive-nib")

    def handle(self, *args, nib, url, **options):
        api_key = getattr(settings, "OSS_SANDBOX_IZIN_API_KEY", "")
        if not api_key:
            raise CommandError("Set OSS_SANDBOX_IZIN_API_KEY to an Izin API key with scope oss.")
        try:
            sent = send_nib(nib=nib, url=url, api_key=api_key)
        except RegistryBusiness.DoesNotExist:
            raise CommandError(f"The sandbox registry has no NIB {nib}.") from None
        self.stdout.write(f"HTTP {sent.status_code}: {sent.body}")
        if sent.status_code >= 300:
            raise CommandError("Izin did not take it.")

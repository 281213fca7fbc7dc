"""`manage.py signing_init`: create the development CA, the office's signing certificate and the
Ed25519 key of the offline token."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents import dev_ca


class Command(BaseCommand):
    help = (
        "Create a development CA and an EC P-256 signing certificate in SIGNING_DEV_DIR (outside "
        "the repository). Does nothing when they exist, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Replace existing keys (permits signed before stay valid only "
                                 "against the old CA).")
        parser.add_argument("--organization", default="DPMPTSP Kota Pekanbaru",
                            help="The organisation named in the certificates.")

    def handle(self, *args, force: bool, organization: str, **options):
        if not settings.SIGNING_DEV_DIR:
            # Production settings clear it: the office signs with its own certificate there.
            raise CommandError("SIGNING_DEV_DIR is empty (production settings): development keys "
                               "have no place here.")
        folder = Path(settings.SIGNING_DEV_DIR)
        # Folders made before the offline token existed get its key without touching the CA.
        if force or not (folder / dev_ca.TOKEN_KEY).exists():
            dev_ca.create_token_key(folder)
            self.stdout.write(f"Offline-token key written to {folder}.")
        if dev_ca.exists(folder) and not force:
            self.stdout.write(f"Signing keys already in {folder}; nothing to do (--force "
                              "replaces them).")
            return
        dev_ca.create(folder, organization=organization)
        self.stdout.write(self.style.SUCCESS(
            f"Development CA and signing key written to {folder}."
        ))

"""`manage.py permit_pdf NUMBER --out FILE`: write an issued permit's signed PDF."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from licensing.models import Permit


class Command(BaseCommand):
    help = "Write the signed PDF of an issued permit to a file."

    def add_arguments(self, parser):
        parser.add_argument("number", help="The permit number, e.g. SIUP/00001/DPMPTSP/2026.")
        parser.add_argument("--out", required=True, help="Where to write the PDF.")

    def handle(self, *args, number: str, out: str, **options):
        permit = Permit.objects.filter(number=number).first()
        if permit is None:
            raise CommandError(f"No permit numbered {number}.")
        if not permit.is_stored:
            raise CommandError(f"Permit {number} is still being issued; it has no PDF yet.")
        with permit.file.open("rb") as stored:
            Path(out).write_bytes(stored.read())
        self.stdout.write(f"Wrote {out} (SHA-256 {permit.sha256}).")

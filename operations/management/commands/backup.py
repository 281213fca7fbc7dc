from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from operations.backups import backup_make


class Command(BaseCommand):
    help = ("Back up the database and every private file (evidence, signed documents) into one "
            "new folder, the database first.")

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, help="The new folder (default: var/backups/…).")

    def handle(self, *args, to: Path | None, **options):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        folder = to or Path(settings.BASE_DIR) / "var" / "backups" / f"izin-{stamp}"
        summary = backup_make(folder=folder)
        self.stdout.write(self.style.SUCCESS(
            f"Backed up the database and {summary.files} files ({summary.bytes} bytes) "
            f"to {summary.folder}"))

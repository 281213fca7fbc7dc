from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Restore the database and the private files from a folder `backup` made. Replaces "
            "what the database holds now: stop the web and the workers first.")

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--yes", action="store_true",
                            help="Confirm that the current database is to be replaced.")

    def handle(self, *args, folder: Path, yes: bool, **options):
        if not yes:
            raise CommandError("This replaces the current database. Run again with --yes.")
        try:
            summary = backup_restore(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Restored the database and {summary.files} files ({summary.bytes} bytes) "
            f"from {summary.folder}"))

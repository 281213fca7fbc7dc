from django.core.management.base import BaseCommand, CommandError

from operations.release import release_checks


class Command(BaseCommand):
    help = ("Whether this release may serve: configuration, migrations, database, broker, cache, "
            "storage, signing keys, scheduled tasks and static files. Exits 1 if not.")

    def handle(self, *args, **options):
        checks = release_checks()
        for check in checks:
            mark = "ok  " if check.ok else "FAIL"
            detail = f" ({check.detail})" if check.detail else ""
            self.stdout.write(f"{mark} {check.name}{detail}")
        failed = [check.name for check in checks if not check.ok]
        if failed:
            raise CommandError("not ready: " + ", ".join(failed))
        self.stdout.write(self.style.SUCCESS("ready"))

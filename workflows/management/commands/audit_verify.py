"""``manage.py audit_verify [--date YYYY-MM-DD | --since YYYY-MM-DD]``: recompute the hash
chains of the audit trail and the ledger (every chained table) and report, per day, the first
entry that fails. Exit status 1 when any chain is broken. Reports only: beat's nightly task
(``workflows.tasks.audit_verify_nightly``) is what alerts the administrators."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from workflows.audit_verify import REASONS, audit_verify


class Command(BaseCommand):
    help = "Verify the hash chains of the audit trail and the ledger."

    def add_arguments(self, parser):
        days = parser.add_mutually_exclusive_group()
        days.add_argument("--date", type=date.fromisoformat, help="only this day (YYYY-MM-DD)")
        days.add_argument("--since", type=date.fromisoformat,
                          help="every day from this one (YYYY-MM-DD); default: every day")

    def handle(self, *args, date=None, since=None, **options):
        results = audit_verify(days=[date] if date else None, since=since)
        broken = 0
        for model, day, result in results:
            label = f"{day.isoformat()} {model._meta.db_table}"
            if result is None:
                self.stdout.write(f"{label}: intact")
                continue
            broken += 1
            self.stdout.write(self.style.ERROR(
                f"{label}: BROKEN at entry #{result.entry_id} ({result.reason}: "
                f"{REASONS[result.reason]}); {result.failing} entries fail"))
        if broken:
            raise CommandError(f"{broken} chain(s) broken.")
        self.stdout.write(self.style.SUCCESS(f"{len(results)} chain(s) intact."))

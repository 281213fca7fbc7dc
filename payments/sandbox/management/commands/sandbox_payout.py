from datetime import date

from django.core.management.base import BaseCommand

from payments.sandbox import ledger


class Command(BaseCommand):
    help = "Pay out the sandbox balance available by the end of a day (today by default)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="YYYY-MM-DD")

    def handle(self, *args, **options):
        payouts = ledger.payouts_for_day(day=options["date"])
        for payout in payouts:
            self.stdout.write(f"{payout.id} {payout.currency} {payout.amount} ({payout.for_date})")
        if not payouts:
            self.stdout.write("Nothing to pay out.")

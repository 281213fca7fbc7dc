"""`manage.py seed_demo`: load the demo data (idempotent) and print the demo accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import oss
from demo.loader import DEMO_EMAIL_DOMAIN, non_demo_accounts, seed_demo
from demo.people import ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo catalogue, groups, accounts and permits. Running it again changes "
        "nothing. Refuses to run with DEBUG off unless --force: the accounts share a published "
        "password. Always refuses a database that holds data other than the demo's, that is any "
        f"account whose e-mail does not end in {DEMO_EMAIL_DOMAIN} (every real site has one: its "
        "administrator, its businesses' owners); --force does not change that. Start from an "
        "empty database instead (make clean && make run)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Run even though DEBUG is off (never on a production site).",
        )
        parser.add_argument(
            "--no-permits", action="store_false", dest="permits",
            help="Do not issue the demo permits (which needs `signing_init` to have run).",
        )
        parser.add_argument(
            "--site-url", default="http://127.0.0.1:8000",
            help="Where the site is served, for the closing message.",
        )

    def handle(self, *args, force: bool, permits: bool, site_url: str, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a production site, and the demo accounts have a "
                "published password. Use --force if you really mean it."
            )
        # Whatever --force says: published passwords never join a database of real people.
        others = non_demo_accounts()
        if others:
            raise CommandError(
                f"This database holds {others} account(s) outside the demo's "
                f"{DEMO_EMAIL_DOMAIN} domain: it is not a demo database, and the demo's accounts "
                "share a published password. Nothing was written. For the demo, use an empty "
                "database (make clean && make run)."
            )
        report = seed_demo(permits=permits)
        new = ", ".join(f"{kind}: {n}" for kind, n in report.created.items() if n)
        self.stdout.write(self.style.SUCCESS(
            f"Demo data loaded ({f'new: {new}' if new else 'nothing new, already up to date'})."
        ))
        self._print_accounts()
        if oss.enabled():
            newcomers = oss.seed_oss_registry()
            oss.seed_oss_subscription(site_url=site_url)
            self.stdout.write("\nThe OSS sandbox knows these businesses Izin does not yet: "
                              "register one with its NIB and NPWP.")
            for newcomer in newcomers:
                self.stdout.write(f"  NIB {newcomer['nib']}  NPWP {newcomer['npwp']}  "
                                  f"{newcomer['legal_name']}")
        self.stdout.write("\nStaff accounts sign in with a second code, as an authenticator app "
                          "would show it:\n  make code EMAIL=kepala@izin.test")
        site_url = site_url.rstrip("/")
        self.stdout.write(f"\nThe API for other systems: {site_url}/api/docs/ (a key from the "
                          "admin's API keys, or manage.py api_key_issue).")
        self.stdout.write(f"\nOpen {site_url}/ (administration: {site_url}/admin/).")

    def _print_accounts(self) -> None:
        rows = [("E-mail", "Password", "Role")]
        rows += [(a["email"], DEMO_PASSWORD, a["role"]) for a in ACCOUNTS]
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        self.stdout.write("\nDemo accounts (local demo only):")
        for index, (email, password, role) in enumerate(rows):
            self.stdout.write(f"  {email:<{widths[0]}}  {password:<{widths[1]}}  {role}")
            if index == 0:
                self.stdout.write(f"  {'-' * widths[0]}  {'-' * widths[1]}  {'-' * 4}")

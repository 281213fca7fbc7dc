"""Issue an API key from the shell: ``manage.py api_key_issue "SIMBG Dinas PUPR" --scope
applications --business 1234567890123``. Prints the key once."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.keys import api_key_issue
from api.scopes import Scope
from licensing.models import Business


class Command(BaseCommand):
    help = "Issue an API key (printed once, never stored)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--scope", action="append", choices=Scope.values, required=True)
        parser.add_argument("--business", action="append", default=[], metavar="NIB")
        parser.add_argument("--days", type=int, default=365)

    def handle(self, *args, name, scope, business, days, **options):
        businesses = list(Business.objects.filter(nib__in=business))
        missing = set(business) - {found.nib for found in businesses}
        if missing:
            raise CommandError(f"No business with NIB {', '.join(sorted(missing))}.")
        key, raw = api_key_issue(name=name, scopes=scope, businesses=businesses,
                                 expires_at=timezone.now() + timedelta(days=days))
        self.stdout.write(f"{key.name}: {raw}")
        self.stdout.write("Copy it now: it is not stored and will not be shown again.")

from django.core.management.base import BaseCommand

from payments.sandbox import tasks


class Command(BaseCommand):
    help = "Send the sandbox's webhook deliveries whose next attempt is due (beat does it too)."

    def handle(self, *args, **options):
        self.stdout.write(f"{tasks.retry_due_webhooks()} deliveries attempted.")

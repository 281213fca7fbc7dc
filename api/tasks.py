from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from api.models import IdempotentRequest


@shared_task
def idempotency_forget() -> int:
    """First answers older than the keeping time go; run again, it finds nothing more."""
    before = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_KEEP_HOURS)
    # Bounded batches: one run never holds a long delete.
    ids = list(IdempotentRequest.objects.filter(created_at__lt=before)
               .values_list("pk", flat=True)[:10_000])
    return IdempotentRequest.objects.filter(pk__in=ids).delete()[0]

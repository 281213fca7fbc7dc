"""Reads, each scoped to the person asking: nobody sees another's notices."""

from django.db.models import QuerySet

from notifications.models import Notification


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    """My notices, newest first (the ``notification_list`` index)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_get_for_user(*, user, pk: int) -> Notification:
    """One of my notices, else ``Notification.DoesNotExist``."""
    return Notification.objects.get(recipient=user, pk=pk)


def notification_unread_count(*, user) -> int:
    """One COUNT over the partial ``notification_unread`` index."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

"""Telling people. ``notify`` is the one door: callers decide what happened and who hears of
it; this app decides how (each person's channels) and in which language."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from config.celery import enqueue_on_commit
from notifications.models import (
    Delivery,
    DeliveryChannel,
    DeliveryState,
    Notification,
    Preference,
)
from notifications.tasks import deliver

logger = logging.getLogger("izin.notifications")


def user_is_staff(user) -> bool:
    """Staff are the office's people: admin users and anyone in a group (reviewers, clerks,
    treasury). They always get e-mail: their work arrives by it."""
    return user.is_staff or user.groups.exists()


def preference_for(user) -> Preference:
    """The person's preference, made with the defaults the first time."""
    preference, _created = Preference.objects.get_or_create(user=user)
    return preference


def _preferences(users: list) -> dict[int, Preference]:
    """Everyone's preference in two queries, the missing ones made with the defaults (a
    concurrent notify may make the same ones: ignored, then read back)."""
    ids = [user.pk for user in users]
    found = {p.user_id: p for p in Preference.objects.filter(user_id__in=ids)}
    missing = [Preference(user_id=pk) for pk in ids if pk not in found]
    if missing:
        Preference.objects.bulk_create(missing, ignore_conflicts=True)
        found = {p.user_id: p for p in Preference.objects.filter(user_id__in=ids)}
    return found


def _recipients(recipients: Iterable) -> list:
    """Active people, each once, in the order given."""
    seen, users = set(), []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


def _render(message, params: dict, language: str) -> str:
    """``message % params`` in ``language``: lazy messages and lazy values (a date, a state's
    label) both become text in that language."""
    with translation.override(language):
        values = {key: str(value) if isinstance(value, Promise) else value
                  for key, value in params.items()}
        return str(message) % values


def _language(preference: Preference) -> str:
    languages = dict(settings.LANGUAGES)
    return preference.language if preference.language in languages else settings.LANGUAGE_CODE


def _addresses(user, preference: Preference, *, staff: bool) -> dict[str, str]:
    """The outside channels this person hears on, with the address for each."""
    addresses = {}
    if user.email and (preference.email or staff):
        addresses[DeliveryChannel.EMAIL] = user.email
    if preference.phone and preference.sms:
        addresses[DeliveryChannel.SMS] = preference.phone
    if preference.phone and preference.whatsapp:
        addresses[DeliveryChannel.WHATSAPP] = preference.phone
    return addresses


def notify(*, recipients, event_key: str, kind: str, subject, body, params: dict | None = None,
           url: str = "") -> list[Notification]:
    """Tell ``recipients`` of one event: an in-app notice each and a delivery per channel they
    chose, rendered in each one's language. Once per person and ``event_key``: a second call
    (even at the same moment, in another process) adds nothing. Runs in the caller's
    transaction; deliveries are queued when it commits, so a rolled-back change tells no one.
    Returns the notices made by this call."""
    params = params or {}
    users = _recipients(recipients)
    if not users:
        return []
    already = set(Notification.objects.filter(
        event_key=event_key, recipient__in=[u.pk for u in users],
    ).values_list("recipient_id", flat=True))
    users = [user for user in users if user.pk not in already]
    if not users:
        return []
    preferences = _preferences(users)
    staff_ids = set(get_user_model().groups.through.objects.filter(
        user_id__in=[u.pk for u in users]).values_list("user_id", flat=True))
    created, deliveries = [], []
    now = timezone.now()
    for user in users:
        preference = preferences[user.pk]
        language = _language(preference)
        # get_or_create saves in a savepoint: a concurrent notify of the same event meets the
        # unique constraint, and this one reads its row instead of failing the caller.
        notification, made = Notification.objects.get_or_create(
            recipient=user, event_key=event_key,
            defaults={
                "kind": kind, "url": url, "language": language, "created_at": now,
                "subject": _render(subject, params, language)[:300],
                "body": _render(body, params, language),
            },
        )
        if not made:
            continue
        created.append(notification)
        staff = user.is_staff or user.pk in staff_ids
        deliveries += [
            Delivery(notification=notification, channel=channel, address=address,
                     created_at=now, due_at=now)
            for channel, address in _addresses(user, preference, staff=staff).items()
        ]
    if deliveries:
        for delivery in Delivery.objects.bulk_create(deliveries):
            enqueue_on_commit(deliver, delivery.pk)
    if created:
        logger.info("notification_created kind=%s count=%s notification_ids=%s", kind,
                    len(created), ",".join(str(n.pk) for n in created))
    return created


def notification_mark_read(*, notification: Notification) -> None:
    """Read now, unless it already was (the first reading is the one kept)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at)


def notification_read_all(*, user) -> int:
    """Every unread notice of ``user`` read now; how many were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())


def preference_update(*, user, language: str, email: bool, sms: bool, whatsapp: bool,
                      phone: str) -> Preference:
    """The person's choices, as the settings form cleaned them (the phone in E.164)."""
    preference = preference_for(user)
    preference.language = language
    preference.email = email
    preference.sms = sms
    preference.whatsapp = whatsapp
    preference.phone = phone
    preference.full_clean()
    preference.save()
    return preference


def delivery_resend(*, delivery: Delivery) -> bool:
    """A delivery that failed for good, tried again from the start (the admin's "send again",
    once the provider is back). False when it had not failed."""
    with transaction.atomic():
        reopened = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.FAILED).update(
            state=DeliveryState.PENDING, due_at=timezone.now())
        if reopened:
            enqueue_on_commit(deliver, delivery.pk)
    return bool(reopened)

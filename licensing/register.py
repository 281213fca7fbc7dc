"""Reads of the permit register, scoped to the person asking: a business sees its own permits,
office staff (reviewers, the head of office, administrators) see the whole register."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from licensing import roles
from licensing.models import Permit
from licensing.models.permits import IN_FORCE


def may_see_register(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or any(roles.in_group(user, name)
                                for name in (roles.HEAD_OF_OFFICE, roles.ADMINISTRATOR)):
        return True
    return user.groups.filter(review_steps__isnull=False).exists()


def _issued() -> QuerySet[Permit]:
    # A permit without its signed PDF is still being issued: not on the register yet.
    return Permit.objects.exclude(file="").select_related("holder", "permit_type")


def permit_list_for_holder(*, user) -> QuerySet[Permit]:
    """The permits of the businesses I act for, newest first."""
    return _issued().filter(holder__memberships__user=user).order_by("-created_at")


def permit_register(*, user, state: str = "", permit_type=None, expiring_within: int | None = None,
                    search: str = "") -> QuerySet[Permit]:
    """The register for office staff, filtered; nothing for anyone else."""
    if not may_see_register(user):
        return Permit.objects.none()
    permits = _issued().order_by("-created_at")
    if state:
        permits = permits.filter(state=state)
    if permit_type is not None:
        permits = permits.filter(permit_type=permit_type)
    if expiring_within is not None:
        today = timezone.localdate()
        permits = permits.filter(state__in=IN_FORCE, valid_until__gte=today,
                                 valid_until__lte=today + timedelta(days=expiring_within))
    if search := search.strip():
        permits = permits.filter(Q(number__icontains=search) | Q(holder__nib=search)
                                 | Q(holder__legal_name__icontains=search))
    return permits


def permit_get_for_user(*, user, pk: int) -> Permit:
    """A permit of a business I act for, or any permit for office staff; else 404."""
    if may_see_register(user):
        permits = _issued()
    else:
        permits = permit_list_for_holder(user=user)
    return get_object_or_404(permits.select_related("application", "superseded_by"), pk=pk)



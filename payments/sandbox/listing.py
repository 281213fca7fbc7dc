"""Stripe's list envelope and cursor pagination (``limit``, ``starting_after``,
``ending_before``), newest first."""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from .errors import InvalidRequest
from .params import integer, text


def page(queryset: QuerySet, params: dict, *, url: str, shape: Callable) -> dict:
    limit = integer(params, "limit", minimum=1, maximum=100) or 10
    after = text(params, "starting_after")
    before = text(params, "ending_before")
    if after and before:
        raise InvalidRequest("You may only specify one of these parameters: ending_before, "
                             "starting_after.", param="ending_before")
    queryset = queryset.order_by("-created", "-id")
    if before:
        cursor = _cursor(queryset, before, "ending_before")
        newer = queryset.filter(
            Q(created__gt=cursor.created) | Q(created=cursor.created, id__gt=cursor.id)
        ).order_by("created", "id")
        rows = list(newer[: limit + 1])
        has_more = len(rows) > limit
        rows = rows[:limit][::-1]
    else:
        if after:
            cursor = _cursor(queryset, after, "starting_after")
            queryset = queryset.filter(
                Q(created__lt=cursor.created) | Q(created=cursor.created, id__lt=cursor.id)
            )
        rows = list(queryset[: limit + 1])
        has_more = len(rows) > limit
        rows = rows[:limit]
    return {"object": "list", "data": [shape(row) for row in rows], "has_more": has_more,
            "url": url}


def _cursor(queryset: QuerySet, object_id: str, param: str):
    cursor = queryset.model.objects.filter(pk=object_id).first()
    if cursor is None:
        raise InvalidRequest(f"No such object: '{object_id}'", code="resource_missing",
                             param=param)
    return cursor

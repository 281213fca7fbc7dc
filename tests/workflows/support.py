"""Helpers shared by the workflows tests."""

import uuid

from workflows.models import ReviewTask
from workflows.states import PENDING


def pending_task(application, group: str) -> ReviewTask:
    """The pending task of ``group`` on the application (exactly one may exist)."""
    return ReviewTask.objects.get(application=application, group__name=group,
                                  state__in=list(PENDING))


def form_post(client, url: str, data: dict | None = None, **kwargs):
    """POST a form as the page would: with a fresh one-time token."""
    return client.post(url, {"form_token": uuid.uuid4().hex, **(data or {})}, **kwargs)


def shown_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


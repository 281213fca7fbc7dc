"""The one mechanism every state change in Izin goes through.

Callers (``licensing.services.application_transition``, the review-task services, later the
payment services) lock the row first; ``fsm_apply`` then checks, moves, saves and writes the
audit entry. Side effects are the caller's, scheduled with ``transaction.on_commit``.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed, has_transition_perm

from workflows.models import TransitionLog

logger = logging.getLogger("izin.transitions")


class TransitionRefused(Exception):
    """A move the machine does not allow now. ``message`` is safe to show to the user."""

    def __init__(self, message, *, code: str = "refused"):
        super().__init__(str(message))
        self.message = message
        self.code = code


def fsm_apply(
    *,
    instance: models.Model,
    transition: str,
    actor,
    note: str = "",
    application=None,
    **kwargs,
) -> None:
    """Run ``instance.<transition>(**kwargs)`` if allowed for ``actor`` (None: the system).

    The caller must hold the row lock inside ``transaction.atomic``.
    """
    method = getattr(instance, transition, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise ValueError(f"{type(instance).__name__} has no transition {transition!r}")
    source = instance.state
    if not can_proceed(method):
        raise TransitionRefused(
            _("This action is not possible now (current state: %(state)s).")
            % {"state": instance.get_state_display()},
            code="not_allowed",
        )
    if not has_transition_perm(method, actor):
        raise TransitionRefused(_("You may not do this."), code="permission_denied")
    method(**kwargs)
    instance.save()
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        application=application,
        transition=transition,
        source=source,
        target=instance.state,
        actor=actor,
        note=note,
    )
    logger.info(
        "state_changed model=%s id=%s transition=%s source=%s target=%s actor_id=%s",
        instance._meta.label_lower, instance.pk, transition, source, instance.state,
        getattr(actor, "pk", None),
    )


def audit_record(*, instance: models.Model, action: str, actor, note: str = "") -> None:
    """Write a change that moves no state (a record updated from another system, such as a
    business from OSS) into the same trail, beside the moves: from and to are its current state.
    The caller holds the row lock inside ``transaction.atomic``, as for ``fsm_apply``."""
    state = getattr(instance, "state", "")
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk,
        transition=action, source=state, target=state, actor=actor, note=note,
    )

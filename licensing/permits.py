"""Use cases of the permit register. Every permit state change passes through
``permit_transition``: lock, check, move, audit; side effects after commit."""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from licensing import services
from licensing.mail import bilingual
from licensing.models import Application, Permit, PermitState, Purpose
from licensing.models.permits import IN_FORCE
from licensing.states import FINAL
from workflows.machine import TransitionRefused, fsm_apply

logger = logging.getLogger("izin.licensing")

# Transitions a person starts: each must say why.
NEEDS_REASON = {"suspend", "revoke", "surrender"}
# Changes the holder did not make itself: its people are told by e-mail.
NOTIFIED = {"suspend", "reinstate", "revoke", "expire"}


def permit_transition(*, permit: Permit, transition: str, actor, reason: str = "",
                      **kwargs) -> Permit:
    """The one door for every permit state change. Returns the fresh, saved permit."""
    reason = reason.strip()
    if transition in NEEDS_REASON and not reason:
        raise TransitionRefused(_("Give a reason."), code="reason_required")
    if transition in NEEDS_REASON or transition == "reinstate":
        kwargs["reason"] = reason
    with transaction.atomic():
        locked = (
            Permit.objects.select_for_update(of=("self",))
            .select_related("application", "holder").get(pk=permit.pk)
        )
        fsm_apply(instance=locked, transition=transition, actor=actor, note=reason,
                  application=locked.application, **kwargs)
        if transition in NOTIFIED:
            transaction.on_commit(partial(_holder_notify, locked.pk))
    return locked


def _holder_notify(permit_id: int) -> None:
    """Tell the holder's people that the office changed their permit, and why."""
    permit = Permit.objects.select_related("holder").get(pk=permit_id)
    recipients = list(permit.holder.memberships.values_list("user__email", flat=True))
    if not recipients:
        return
    subject, body = bilingual(
        gettext_lazy("Permit %(number)s: %(state)s"),
        gettext_lazy("The permit %(number)s of %(business)s is now %(state)s. %(reason)s\n\n"
                     "See it in Izin: %(url)s"),
        {"number": permit.number, "business": permit.holder.legal_name,
         "state": lazy(permit.get_state_display, str)(), "reason": permit.state_reason,
         "url": settings.SITE_URL.rstrip("/") + reverse("permit_detail", args=[permit.pk])},
    )
    send_mail(subject, body, None, recipients, fail_silently=False)


def permit_suspend(*, permit: Permit, actor, reason: str) -> Permit:
    return permit_transition(permit=permit, transition="suspend", actor=actor, reason=reason)


def permit_reinstate(*, permit: Permit, actor, reason: str = "") -> Permit:
    return permit_transition(permit=permit, transition="reinstate", actor=actor, reason=reason)


def permit_revoke(*, permit: Permit, actor, reason: str) -> Permit:
    return permit_transition(permit=permit, transition="revoke", actor=actor, reason=reason)


def permit_surrender(*, permit: Permit, actor, reason: str) -> Permit:
    """The holder's owner asks for revocation: the permit is revoked at once, reason recorded."""
    return permit_transition(permit=permit, transition="surrender", actor=actor, reason=reason)


def permit_expire_due() -> int:
    """Expire every permit in force whose end date has passed. Safe to run any number of times."""
    due = Permit.objects.filter(state__in=IN_FORCE, valid_until__lt=timezone.localdate())
    expired = 0
    for pk in due.values_list("pk", flat=True):
        try:
            permit_transition(permit=Permit(pk=pk), transition="expire", actor=None)
        except TransitionRefused:
            continue  # moved on meanwhile (revoked, or a concurrent run expired it)
        expired += 1
    return expired


# Renewal and amendment: a new application that follows the permit.


def renewal_is_open(permit: Permit) -> bool:
    opens_on = permit.renewal_opens_on()
    return (permit.state == PermitState.ACTIVE and opens_on is not None
            and opens_on <= timezone.localdate())


def follow_up_open(*, permit: Permit, purpose: str) -> Application | None:
    """The renewal or amendment already under way for the permit, if any."""
    return permit.follow_ups.filter(purpose=purpose).exclude(state__in=FINAL).first()


def _follow_up_start(*, permit: Permit, actor, purpose: str) -> Application:
    with transaction.atomic():
        locked = Permit.objects.select_for_update(of=("self",)).select_related(
            "application", "holder", "permit_type").get(pk=permit.pk)
        existing = follow_up_open(permit=locked, purpose=purpose)
        if existing is not None:
            return existing
        application = services.application_create(
            business=locked.holder, permit_type=locked.permit_type, actor=actor,
            answers=dict(locked.application.answers),
        )
        application.purpose = purpose
        application.follows_permit = locked
        application.save(update_fields=["purpose", "follows_permit"])
    logger.info("permit_follow_up permit_id=%s application_id=%s purpose=%s", locked.pk,
                application.pk, purpose)
    return application


def permit_renew(*, permit: Permit, actor) -> Application:
    """A renewal application prefilled from the permit's; open from 60 days before it ends."""
    if not renewal_is_open(permit):
        raise TransitionRefused(
            _("This permit can be renewed only while active, from 60 days before it ends."),
            code="not_allowed",
        )
    return _follow_up_start(permit=permit, actor=actor, purpose=Purpose.RENEWAL)


def permit_amend(*, permit: Permit, actor) -> Application:
    """An amendment application prefilled from the permit's; once issued it supersedes it."""
    if permit.state != PermitState.ACTIVE:
        raise TransitionRefused(_("Only an active permit can be amended."), code="not_allowed")
    return _follow_up_start(permit=permit, actor=actor, purpose=Purpose.AMENDMENT)


def permit_after_issue(*, permit: Permit) -> None:
    """Called by issuance in its transaction: an issued amendment supersedes the permit it
    amends (if that is still in force)."""
    application = permit.application
    if application.purpose != Purpose.AMENDMENT or application.follows_permit_id is None:
        return
    previous = Permit.objects.select_for_update(of=("self",)).get(
        pk=application.follows_permit_id
    )
    if previous.state in IN_FORCE:
        permit_transition(permit=previous, transition="supersede", actor=None, successor=permit)

"""Use cases of the permit register. Every permit state change passes through
``permit_transition``: lock, check, move, audit; side effects after commit. A permit enters the
register through ``permit_allocate`` and ``permit_store`` (run by ``documents.issuance``)."""

import calendar
import logging
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from licensing import notices, outbound, services
from licensing.models import Application, Permit, PermitState, Purpose, Signer
from licensing.models.permits import IN_FORCE
from licensing.states import FINAL
from workflows.machine import TransitionRefused, fsm_apply

logger = logging.getLogger("izin.licensing")

# Transitions a person starts: each must say why.
NEEDS_REASON = {"suspend", "revoke", "surrender"}
# Changes the holder did not make itself: its people are told (``licensing.notices``).
NOTIFIED = {"suspend", "reinstate", "revoke", "expire"}
# How many permits one run tells of their end; the next run takes the rest.
EXPIRY_BATCH = 500


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
        outbound.permit_moved(permit=locked, transition=transition)
        if transition in NOTIFIED:
            notices.permit_changed(permit=locked, entry_id=_last_entry_id(locked))
    return locked


def _last_entry_id(permit: Permit) -> int:
    """The audit entry of the permit's latest move: what makes its notice once."""
    return permit.application.audit_entries.filter(
        content_type=ContentType.objects.get_for_model(Permit), object_id=permit.pk,
    ).order_by("-pk").values_list("pk", flat=True).first()


def permit_suspend(*, permit: Permit, actor, reason: str) -> Permit:
    return permit_transition(permit=permit, transition="suspend", actor=actor, reason=reason)


def permit_reinstate(*, permit: Permit, actor, reason: str = "") -> Permit:
    return permit_transition(permit=permit, transition="reinstate", actor=actor, reason=reason)


def permit_revoke(*, permit: Permit, actor, reason: str) -> Permit:
    return permit_transition(permit=permit, transition="revoke", actor=actor, reason=reason)


def permit_surrender(*, permit: Permit, actor, reason: str) -> Permit:
    """The holder's owner asks for revocation: the permit is revoked at once, reason recorded."""
    return permit_transition(permit=permit, transition="surrender", actor=actor, reason=reason)


def permit_remind_expiring() -> int:
    """Tell the holders of permits ending within each of ``PERMIT_EXPIRY_NOTICE_DAYS`` (e.g. 60
    and 14 days), once per permit and notice, so they renew in time. Idempotent."""
    today = timezone.localdate()
    sent = 0
    for days in sorted(set(settings.PERMIT_EXPIRY_NOTICE_DAYS), reverse=True):
        due = (Permit.objects.filter(state=PermitState.ACTIVE, valid_until__gte=today,
                                     valid_until__lte=today + timedelta(days=days))
               .filter(Q(expiry_notice_days__isnull=True) | Q(expiry_notice_days__gt=days)))
        for pk in due.values_list("pk", flat=True)[:EXPIRY_BATCH]:
            with transaction.atomic():
                permit = (Permit.objects.select_for_update(of=("self",))
                          .select_related("holder").get(pk=pk))
                if permit.expiry_notice_days is not None and permit.expiry_notice_days <= days:
                    continue  # a concurrent run sent it
                permit.expiry_notice_days = days
                permit.save(update_fields=["expiry_notice_days"])
                notices.permit_expiring(permit=permit, days=days)
                sent += 1
    return sent


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


# Issuance's two steps in the register (documents.issuance runs them around the signing):
# the number and the row, then the signed file and the application issued.


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def permit_allocate(*, application_id: int, signer: Signer, conditions: list[str]) -> Permit:
    """The permit row with its number, created once: a second call finds it. ``conditions``
    are the reviewers' conditions, printed on the permit.

    Number and row are one transaction under the application's lock, so a rolled-back attempt
    gives its number back and two concurrent attempts never get two numbers.
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("permit_type", "business").get(pk=application_id)
        )
        existing = Permit.objects.filter(application=application).first()
        if existing is not None:
            return existing
        if not can_proceed(application.issue):
            raise TransitionRefused(_("This application cannot be issued now."))
        permit_type = application.permit_type
        today = timezone.localdate()
        seq = services.sequence_next(key=f"permit:{permit_type.code}", year=today.year)
        valid_until = (
            _add_months(today, permit_type.validity_months) - timedelta(days=1)
            if permit_type.validity_months else None
        )
        permit = Permit.objects.create(
            number=permit_type.format_permit_number(seq=seq, year=today.year),
            application=application, holder=application.business, permit_type=permit_type,
            signer=signer, issued_year=today.year, valid_from=today, valid_until=valid_until,
            conditions="\n\n".join(conditions),
        )
    logger.info("permit_allocated permit_id=%s application_id=%s", permit.pk, application_id)
    return permit


def permit_store(*, permit_id: int, pdf: bytes, sha256: str, template_version: str) -> Permit:
    """Store the signed PDF and issue the application, in one transaction. A permit already
    stored (a concurrent run was first) is returned as it is."""
    with transaction.atomic():
        permit = Permit.objects.select_for_update().select_related("application").get(
            pk=permit_id
        )
        if permit.is_stored:
            return permit  # a concurrent run stored its PDF first; this one is dropped unsaved
        permit.file.save(f"{permit.pk}.pdf", ContentFile(pdf), save=False)
        try:
            permit.sha256 = sha256
            permit.template_version = template_version
            permit.signed_at = timezone.now()
            permit.save(update_fields=["file", "sha256", "template_version", "signed_at"])
            services.application_transition(application=permit.application,
                                            transition="issue", actor=None)
            permit_after_issue(permit=permit)
        except Exception:
            permit.file.delete(save=False)
            raise
        notices.permit_issued(permit=permit)
        outbound.permit_issued(permit=permit)
    logger.info("permit_issued permit_id=%s application_id=%s", permit.pk,
                permit.application_id)
    return permit


"""Use cases of disputed NIBs: claims to a registered business, freezing it while the office
checks, and the head of office's decision. Every state change goes through ``fsm_apply`` and
lands in the audit trail with its actor and reason.

Nobody becomes owner of a registered NIB by registering it again: the registration becomes a
``NibClaim``. Only the head of office moves ownership (``nib_claim_uphold``).
"""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from licensing import roles
from licensing.models import (
    Business,
    BusinessInvitation,
    BusinessMembership,
    MemberRole,
    NibClaim,
    NibClaimState,
    User,
)
from workflows.machine import TransitionRefused, fsm_apply

logger = logging.getLogger("izin.licensing")


def _reason_required(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise TransitionRefused(_("Give a reason."), code="reason_required")
    return reason


def _head_of_office_only(actor, message) -> None:
    # fsm_apply checks the same permission; asking first gives a message that says who may.
    if not roles.in_group(actor, roles.HEAD_OF_OFFICE):
        raise TransitionRefused(message, code="permission_denied")


def business_refuse_if_frozen(*, business_id: int) -> None:
    """Refuse what a frozen business may not do: start or submit applications, invite people,
    take on members. Reads the row, so a stale copy of the business cannot slip through."""
    if Business.objects.filter(pk=business_id, state=Business.State.FROZEN).exists():
        raise TransitionRefused(
            _("This business is frozen while the office checks who owns its NIB. Applications "
              "cannot be started or submitted and nobody can be invited until the office lifts "
              "the freeze."),
            code="frozen",
        )


# Recording a claim.


def _claim_open(*, business: Business, claimant_email: str, **fields) -> NibClaim:
    """The claimant's open claim to the business: the one there is, else a new one."""
    existing = NibClaim.objects.filter(business=business, claimant_email=claimant_email,
                                       state=NibClaimState.OPEN).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            claim = NibClaim.objects.create(business=business, claimant_email=claimant_email,
                                            **fields)
    except IntegrityError:
        # The same claimant at the same moment (a double click, two tabs): one open claim.
        return NibClaim.objects.get(business=business, claimant_email=claimant_email,
                                    state=NibClaimState.OPEN)
    logger.info("nib_claim_recorded claim_id=%s business_id=%s at_counter=%s", claim.pk,
                business.pk, claim.recorded_at_counter_by_id is not None)
    return claim


@transaction.atomic
def nib_claim_record_online(*, actor, business: Business, data: dict) -> NibClaim:
    """Someone registering online a NIB that is already registered: nobody becomes owner, the
    office checks. The caller must tell the claimant nothing about the business."""
    if business.memberships.filter(user=actor).exists():
        raise ValidationError(_("You already act for this business."))
    return _claim_open(business=business, claimant_email=actor.email.lower(), claimant=actor,
                       claimant_name=actor.full_name, data=data)


@transaction.atomic
def nib_claim_record_at_counter(*, actor, business: Business, claimant_email: str,
                                claimant_name: str = "", note: str) -> NibClaim:
    """Front-office staff record a walk-in person's claim to a registered NIB. The person may
    have no account yet: the e-mail address is kept, and the account linked when there is one."""
    if not roles.in_group(actor, roles.FRONT_OFFICE):
        raise TransitionRefused(_("Only front-office staff may record a claim at the counter."),
                                code="permission_denied")
    claimant_email = claimant_email.strip().lower()
    if claimant_email == actor.email.lower():
        raise ValidationError({"claimant_email": _("Enter the claimant's e-mail address, not "
                                                   "your own.")})
    if business.memberships.filter(user__email=claimant_email, role=MemberRole.OWNER).exists():
        raise ValidationError({"claimant_email": _("This person already owns the business.")})
    return _claim_open(
        business=business, claimant_email=claimant_email,
        claimant=User.objects.filter(email=claimant_email).first(),
        claimant_name=claimant_name.strip(), note=note.strip(), recorded_at_counter_by=actor,
    )


# Freezing a disputed business.


def _business_transition(*, business: Business, transition: str, actor, reason: str) -> Business:
    with transaction.atomic():
        locked = Business.objects.select_for_update().get(pk=business.pk)
        fsm_apply(instance=locked, transition=transition, actor=actor, note=reason,
                  reason=reason)
    logger.info("business_%s business_id=%s user_id=%s", transition, locked.pk, actor.pk)
    return locked


def business_freeze(*, business: Business, actor, reason: str) -> Business:
    """Stop a disputed business from acting (applications, invitations, ownership) until the
    office has decided who owns its NIB."""
    _head_of_office_only(actor, _("Only the head of office may freeze a business."))
    return _business_transition(business=business, transition="freeze", actor=actor,
                                reason=_reason_required(reason))


def business_unfreeze(*, business: Business, actor, reason: str) -> Business:
    _head_of_office_only(actor, _("Only the head of office may lift a freeze."))
    return _business_transition(business=business, transition="unfreeze", actor=actor,
                                reason=_reason_required(reason))


# Deciding a claim.


def _claim_locked(claim: NibClaim) -> NibClaim:
    # of=("self",): the claim only; the business is locked on its own, when ownership moves.
    return NibClaim.objects.select_for_update(of=("self",)).get(pk=claim.pk)


def nib_claim_reject(*, claim: NibClaim, actor, reason: str) -> NibClaim:
    _head_of_office_only(actor, _("Only the head of office may reject a claim."))
    reason = _reason_required(reason)
    with transaction.atomic():
        locked = _claim_locked(claim)
        fsm_apply(instance=locked, transition="reject", actor=actor, note=reason,
                  by=actor, reason=reason)
    logger.info("nib_claim_rejected claim_id=%s user_id=%s", locked.pk, actor.pk)
    return locked


def nib_claim_uphold(*, claim: NibClaim, actor, reason: str) -> NibClaim:
    """Reassign the business to the claimant: the claimant becomes its only owner.

    Everyone who acted for it before (owners and the staff they invited) is removed, and its
    pending invitations are withdrawn: a NIB that was in the wrong hands keeps none of the
    people those hands chose, and staff demoted rather than removed would still file and see
    its applications. The claimant invites staff again. Who was removed is kept on the claim
    (``replaced_members``); applications and permits stay with the business.
    """
    _head_of_office_only(actor, _("Only the head of office may reassign a business."))
    reason = _reason_required(reason)
    with transaction.atomic():
        locked = _claim_locked(claim)
        business = Business.objects.select_for_update().get(pk=locked.business_id)
        claimant = locked.claimant or User.objects.filter(email=locked.claimant_email).first()
        if claimant is None:
            raise TransitionRefused(
                _("The claimant has no account yet. Ask them to sign up with %(email)s, then "
                  "reassign the business.") % {"email": locked.claimant_email},
                code="no_account",
            )
        replaced = list(business.memberships.exclude(user=claimant).select_related("user"))
        locked.claimant = claimant
        fsm_apply(instance=locked, transition="uphold", actor=actor, note=reason, by=actor,
                  reason=reason, replaced=[_member_record(m) for m in replaced])
        BusinessMembership.objects.filter(pk__in=[m.pk for m in replaced]).delete()
        BusinessInvitation.objects.filter(business=business, accepted_at__isnull=True).delete()
        BusinessMembership.objects.update_or_create(business=business, user=claimant,
                                                    defaults={"role": MemberRole.OWNER})
    logger.info("nib_claim_upheld claim_id=%s business_id=%s user_id=%s removed=%s", locked.pk,
                business.pk, actor.pk, len(replaced))
    return locked


def _member_record(membership: BusinessMembership) -> dict:
    return {"user_id": membership.user_id, "full_name": membership.user.full_name,
            "email": membership.user.email, "role": membership.role,
            "since": membership.created_at.isoformat()}

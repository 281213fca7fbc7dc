"""Use cases of the licensing app. Services write; every state change passes through
``application_transition``."""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from config.celery import enqueue_on_commit
from licensing import claims, outbound, roles, rules
from licensing.mail import bilingual
from licensing.models import (
    Application,
    Business,
    BusinessInvitation,
    BusinessMembership,
    MemberRole,
    NibClaim,
    PermitType,
    Sequence,
)
from licensing.models.applications import changes_answered
from licensing.signals import application_entered
from licensing.states import ApplicationState as S
from licensing.tasks import mail_send
from workflows.machine import TransitionRefused, fsm_apply

logger = logging.getLogger("izin.licensing")

# Where the system moves an application on by itself, in order of preference.
AUTOMATIC_NEXT = {
    S.SUBMITTED: ("request_payment", "start_review", "approve_without_review"),
    S.PAID: ("start_review", "approve_without_review"),
    S.APPROVED: ("request_payment",),
}


def sequence_next(*, key: str, year: int) -> int:
    """The next number of a gap-free counter. Call inside the transaction that uses it."""
    with transaction.atomic():
        Sequence.objects.bulk_create([Sequence(key=key, year=year)], ignore_conflicts=True)
        counter = Sequence.objects.select_for_update().get(key=key, year=year)
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
        return counter.last_value


# Businesses and the people who act for them.

INVITATION_VALID_FOR = timedelta(days=7)


def refuse_unless_email_confirmed(user) -> None:
    """Owning a business or joining one needs an address its person proved is theirs."""
    if not user.email_verified:
        raise TransitionRefused(_("Confirm your e-mail address first: open the link we sent "
                                  "you."), code="email_unconfirmed")


def _business_create(**fields) -> Business:
    business = Business(**fields)
    business.full_clean()
    try:
        with transaction.atomic():
            business.save()
    except IntegrityError:
        # Two registrations of one NIB at the same moment: full_clean passed for both.
        raise ValidationError(
            {"nib": _("A business with this NIB is already registered.")}
        ) from None
    return business


@transaction.atomic
def business_register(*, actor, legal_name: str, nib: str, npwp: str, street_address: str,
                      kecamatan: str, kelurahan: str, kbli_codes: list[str]
                      ) -> Business | NibClaim:
    """Register a business; the person registering it becomes its owner.

    A NIB registered here already makes nobody its owner: the registration becomes a claim the
    office checks (``licensing.claims``), returned instead of the business. The caller tells
    the claimant nothing about the business or its owners.
    """
    refuse_unless_email_confirmed(actor)
    fields = {"legal_name": legal_name, "nib": nib, "npwp": npwp,
              "street_address": street_address, "kecamatan": kecamatan,
              "kelurahan": kelurahan, "kbli_codes": kbli_codes}
    business = Business(**fields)
    # The data first; whether the NIB is taken decides what happens next, not an error.
    business.full_clean(validate_unique=False)
    # OSS, when configured, was asked in the form (``BusinessForm.clean``): the NIB exists there
    # and the name is OSS's. Whether the NIB is the actor's is still the office's to decide.
    registered = Business.objects.filter(nib=nib).first()
    if registered is None:
        try:
            with transaction.atomic():
                business.save()
        except IntegrityError:
            # Registered by someone else a moment ago: their check passed too. Theirs stands.
            registered = Business.objects.get(nib=nib)
    if registered is not None:
        return claims.nib_claim_record_online(actor=actor, business=registered, data=fields)
    BusinessMembership.objects.create(business=business, user=actor, role=MemberRole.OWNER)
    logger.info("business_registered business_id=%s user_id=%s", business.pk, actor.pk)
    return business


@transaction.atomic
def business_register_at_counter(*, actor, owner_email: str, accept_url_for, legal_name: str,
                                 nib: str, npwp: str, street_address: str, kecamatan: str,
                                 kelurahan: str, kbli_codes: list[str]) -> Business:
    """Front-office staff register a walk-in business that has its NIB but no account here.

    The business starts with nobody acting for it: the owner is invited by e-mail (sent on
    commit) and becomes its owner on accepting. The clerk is recorded, and never a member.
    """
    if not roles.in_group(actor, roles.FRONT_OFFICE):
        raise TransitionRefused(_("Only front-office staff may register a business at the "
                                  "counter."), code="permission_denied")
    owner_email = owner_email.strip().lower()
    if owner_email == actor.email.lower():
        raise ValidationError({"owner_email": _("Enter the owner's e-mail address, not your "
                                                "own.")})
    business = _business_create(
        legal_name=legal_name, nib=nib, npwp=npwp, street_address=street_address,
        kecamatan=kecamatan, kelurahan=kelurahan, kbli_codes=kbli_codes,
        registered_at_counter_by=actor,
    )
    invitation = BusinessInvitation.objects.create(business=business, email=owner_email,
                                                   role=MemberRole.OWNER, invited_by=actor)
    subject, body = bilingual(
        gettext_lazy("Your business is registered in Izin"),
        gettext_lazy("%(business)s (NIB %(nib)s) was registered in Izin at the counter of the "
                     "licensing office. To act for it as its owner, sign up or log in with this "
                     "e-mail address and accept: %(url)s"),
        {"business": business.legal_name, "nib": business.nib,
         "url": accept_url_for(invitation)},
    )
    enqueue_on_commit(mail_send, subject, body, [owner_email])
    logger.info("business_registered_at_counter business_id=%s user_id=%s invitation_id=%s",
                business.pk, actor.pk, invitation.pk)
    return business


@transaction.atomic
def business_invite(*, business: Business, actor, email: str, accept_url_for) -> BusinessInvitation:
    """An owner invites someone to act for the business as staff; the e-mail leaves on commit."""
    # Locked: a freeze (or a reassignment) and this invitation do not cross.
    business = Business.objects.select_for_update().get(pk=business.pk)
    claims.business_refuse_if_frozen(business_id=business.pk)
    if not business.memberships.filter(user=actor, role=MemberRole.OWNER).exists():
        raise TransitionRefused(_("Only an owner may invite staff."), code="permission_denied")
    email = email.strip().lower()
    if business.memberships.filter(user__email=email).exists():
        raise ValidationError(_("This person already acts for the business."))
    invitation = BusinessInvitation.objects.create(business=business, email=email,
                                                   invited_by=actor)
    subject, body = bilingual(
        gettext_lazy("Invitation to Izin"),
        gettext_lazy("%(name)s invites you to act for %(business)s in Izin. Accept: %(url)s"),
        {"name": actor.full_name, "business": business.legal_name,
         "url": accept_url_for(invitation)},
    )
    enqueue_on_commit(mail_send, subject, body, [email])
    logger.info("business_invited business_id=%s invitation_id=%s", business.pk, invitation.pk)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user) -> BusinessMembership:
    """Act for the business in the role the invitation names (staff, or owner)."""
    # The business's row first, as a freeze and a reassignment lock it (the latter then
    # withdraws its invitations): one order everywhere, so they wait rather than deadlock.
    business_id = (BusinessInvitation.objects.filter(token=token)
                   .values_list("business_id", flat=True).first())
    if business_id is not None:
        Business.objects.select_for_update().get(pk=business_id)
    invitation = BusinessInvitation.objects.select_for_update().filter(token=token).first()
    if invitation is None or invitation.accepted_at is not None:
        raise ValidationError(_("This invitation is not valid or was already used."))
    if invitation.created_at < timezone.now() - INVITATION_VALID_FOR:
        raise ValidationError(_("This invitation has expired. Ask for a new one."))
    # Bound to the invited address, and only once its owner proved it is theirs.
    if invitation.email != user.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    refuse_unless_email_confirmed(user)
    # Nobody joins a disputed business.
    claims.business_refuse_if_frozen(business_id=invitation.business_id)
    membership, _created = BusinessMembership.objects.get_or_create(
        business=invitation.business, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


# Applications.


@transaction.atomic
def application_create(*, business: Business, permit_type: PermitType, actor,
                       answers: dict | None = None) -> Application:
    """Start a draft. Front-office staff may file one for a walk-in business; the record says so."""
    at_counter = not rules.acts_for_business(actor, business)
    if at_counter and not roles.in_group(actor, roles.FRONT_OFFICE):
        raise TransitionRefused(_("You do not act for this business."), code="permission_denied")
    if not permit_type.is_active:
        raise TransitionRefused(_("This permit type is not open for applications."))
    claims.business_refuse_if_frozen(business_id=business.pk)
    year = timezone.localdate().year
    seq = sequence_next(key=f"application:{permit_type.code}", year=year)
    application = Application.objects.create(
        reference=f"{permit_type.code}-{year}-{seq:06d}",
        business=business,
        permit_type=permit_type,
        answers=answers or {},
        created_by=actor,
        filed_at_counter=at_counter,
    )
    logger.info("application_created application_id=%s at_counter=%s", application.pk, at_counter)
    return application


@transaction.atomic
def application_update_answers(*, application: Application, actor, answers: dict) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.state not in (S.DRAFT, S.CHANGES_REQUESTED):
        raise TransitionRefused(_("The form can no longer be changed."))
    if not rules.may_act_as_applicant(application, actor):
        raise TransitionRefused(_("You may not do this."), code="permission_denied")
    application.answers = answers
    application.save(update_fields=["answers"])
    return application


def application_transition(*, application: Application, transition: str, actor,
                           note: str = "") -> Application:
    """The one door for every application state change. Returns the fresh, saved application."""
    with transaction.atomic():
        # of=("self",): lock the application only, not the permit type and business it joins,
        # which every other application of that type or business shares.
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("permit_type", "business")
            .get(pk=application.pk)
        )
        fsm_apply(instance=locked, transition=transition, actor=actor, note=note,
                  application=locked)
        outbound.application_moved(application=locked, transition=transition)
        _after_entering(locked)
    return locked


def _after_entering(application: Application) -> None:
    """The system's own moves (``AUTOMATIC_NEXT``), then, once the application rests in its
    state, ``application_entered`` for the apps built on licensing: review opens its step,
    payments issues the bill, documents queues issuance, a withdrawal cancels their work."""
    for name in AUTOMATIC_NEXT.get(application.state, ()):
        if can_proceed(getattr(application, name)):
            fsm_apply(instance=application, transition=name, actor=None,
                      application=application)
            outbound.application_moved(application=application, transition=name)
            _after_entering(application)
            return
    application_entered.send(sender=Application, application=application)


@transaction.atomic
def application_submit(*, application: Application, actor) -> Application:
    # Judge completeness on the locked row, not on the caller's possibly stale copy.
    locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    # Not locking the business: every application of it would queue on one row. A freeze is
    # for what comes next; a submission it crosses by a moment is in the audit trail.
    claims.business_refuse_if_frozen(business_id=locked.business_id)
    missing = locked.missing_requirements() if locked.state == S.DRAFT else []
    if missing:
        raise TransitionRefused(
            _("Complete the application first. Missing: %(items)s.")
            % {"items": ", ".join(missing)},
            code="incomplete",
        )
    return application_transition(application=locked, transition="submit", actor=actor)


def application_resubmit(*, application: Application, actor, note: str = "") -> Application:
    claims.business_refuse_if_frozen(business_id=application.business_id)
    if not changes_answered(application):
        raise TransitionRefused(
            _("Upload a new version of every document the reviewer asked to replace."),
            code="incomplete",
        )
    return application_transition(application=application, transition="resubmit",
                                  actor=actor, note=note)


def application_withdraw(*, application: Application, actor, note: str = "") -> Application:
    return application_transition(application=application, transition="withdraw",
                                  actor=actor, note=note)

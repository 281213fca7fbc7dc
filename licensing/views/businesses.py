"""Registering a business, its members, and inviting staff to act for it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from licensing import selectors, services
from licensing.forms import BusinessForm, InvitationForm
from licensing.models import NibClaim
from licensing.once import once
from licensing.views.accounts import safe_next
from workflows.machine import TransitionRefused


def _unless_confirmed(request):
    """Owning or joining a business needs a confirmed address: send the person to confirm it."""
    if request.user.email_verified:
        return None
    return redirect(f"{reverse('email_unconfirmed')}?next={request.get_full_path()}")


# Outside the request's transaction: the form asks OSS about the NIB (``licensing.oss``), and no
# lock or write of this request may wait on its answer (the OSS sandbox may be this very
# process). The service holds its own transaction around its writes.
@transaction.non_atomic_requests
@login_required
@once
def business_register(request):
    if unconfirmed := _unless_confirmed(request):
        return unconfirmed
    form = BusinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            business = services.business_register(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if isinstance(business, NibClaim):
                # The NIB is registered already: the office checks. Nothing about the business
                # or its owners goes back to the person who typed its NIB.
                return redirect("nib_claim_received", pk=business.pk)
            messages.success(request, _("%(name)s is registered. You are its owner.")
                             % {"name": business.legal_name})
            if form.oss_record is not None:
                messages.info(request, _("The name is the one OSS holds for NIB %(nib)s.")
                              % {"nib": business.nib})
            return redirect(safe_next(request) or reverse("dashboard"))
    return render(request, "licensing/business_register.html", {"form": form})


@login_required
@once
def business_detail(request, pk: int):
    business = selectors.business_get_for_member(user=request.user, pk=pk)
    is_owner = selectors.user_is_owner(user=request.user, business=business)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.business_invite(
                business=business, actor=request.user, email=form.cleaned_data["email"],
                # The site's own address, never the request's Host header.
                accept_url_for=lambda inv: settings.SITE_URL.rstrip("/") + reverse(
                    "invitation_accept", args=[inv.token]),
            )
        except TransitionRefused as refused:
            messages.error(request, refused.message)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("An invitation was sent to %(email)s.")
                             % {"email": invitation.email})
            return redirect("business_detail", pk=business.pk)
        if not form.errors:
            return redirect("business_detail", pk=business.pk)
    return render(request, "licensing/business_detail.html", {
        "business": business,
        "is_owner": is_owner,
        "memberships": selectors.membership_list_for_business(business=business),
        "invitations": selectors.invitation_list_pending(business=business) if is_owner else [],
        "form": form,
    })


@login_required
@once
def invitation_accept(request, token: str):
    if unconfirmed := _unless_confirmed(request):
        return unconfirmed
    invitation = selectors.invitation_get_for_user(user=request.user, token=token)
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("dashboard")
        except TransitionRefused as refused:
            messages.error(request, refused.message)
            return redirect("dashboard")
        messages.success(request, _("You now act for %(name)s.")
                         % {"name": membership.business.legal_name})
        return redirect("business_detail", pk=membership.business_id)
    return render(request, "licensing/invitation_accept.html", {"invitation": invitation})

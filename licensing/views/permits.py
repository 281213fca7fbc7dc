"""The permit register: a business's own permits, and the office's register."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from licensing import permits, register
from licensing.models import PermitState, Purpose
from licensing.models.permits import IN_FORCE, is_holder_owner, is_office
from licensing.once import once
from licensing.permit_forms import ReasonForm, RegisterFilterForm
from workflows.machine import TransitionRefused
from workflows.selectors import object_history

# What each action button does and what it says when done.
STATE_ACTIONS = {
    "suspend": (permits.permit_suspend, _("The permit is suspended.")),
    "reinstate": (permits.permit_reinstate, _("The permit is active again.")),
    "revoke": (permits.permit_revoke, _("The permit is revoked.")),
    "surrender": (permits.permit_surrender, _("The permit is surrendered and revoked.")),
}
FOLLOW_UPS = {"renew": permits.permit_renew, "amend": permits.permit_amend}


@login_required
def permit_list(request):
    return render(request, "licensing/permit_list.html", {
        "permits": register.permit_list_for_holder(user=request.user),
    })


@login_required
def permit_register(request):
    if not register.may_see_register(request.user):
        raise Http404
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    permit_list = register.permit_register(
        user=request.user, state=filters.get("state", ""),
        permit_type=filters.get("permit_type"), expiring_within=filters.get("expiring_within"),
        search=filters.get("q", ""),
    )
    return render(request, "licensing/permit_register.html",
                  {"form": form, "permits": permit_list[:500]})


@login_required
def permit_detail(request, pk: int):
    permit = register.permit_get_for_user(user=request.user, pk=pk)
    office = is_office(permit, request.user)
    owner = is_holder_owner(permit, request.user)
    acts_for_holder = permit.holder.memberships.filter(user=request.user).exists()
    return render(request, "licensing/permit_detail.html", {
        "permit": permit,
        # The file's fingerprint is for the office; the holder checks a permit by its QR code.
        "office_view": register.may_see_register(request.user),
        "history": object_history(instance=permit),
        "office_actions": office and permit.state in IN_FORCE,
        "may_surrender": owner and permit.state in IN_FORCE,
        "may_renew": acts_for_holder and permits.renewal_is_open(permit),
        "may_amend": acts_for_holder and permit.state == PermitState.ACTIVE,
        "renewal": permits.follow_up_open(permit=permit, purpose=Purpose.RENEWAL),
        "amendment": permits.follow_up_open(permit=permit, purpose=Purpose.AMENDMENT),
        "reason_forms": {action: ReasonForm(auto_id=f"{action}_%s") for action in STATE_ACTIONS},
    })


@login_required
@require_POST
@once
def permit_act(request, pk: int, action: str):
    permit = register.permit_get_for_user(user=request.user, pk=pk)
    if action in FOLLOW_UPS:
        try:
            application = FOLLOW_UPS[action](permit=permit, actor=request.user)
        except TransitionRefused as refused:
            messages.error(request, refused.message)
            return redirect("permit_detail", pk=permit.pk)
        return redirect("application_detail", pk=application.pk)
    if action not in STATE_ACTIONS:
        raise Http404
    service, done = STATE_ACTIONS[action]
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        service(permit=permit, actor=request.user, reason=reason)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return redirect("permit_detail", pk=permit.pk)

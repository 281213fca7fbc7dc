"""NIB claims: what the claimant is told, and the office's list, page and decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from licensing import claims, roles, selectors
from licensing.forms import ClaimReasonForm
from licensing.models import NibClaimState
from licensing.once import once
from workflows.machine import TransitionRefused
from workflows.selectors import object_history

CLAIMS_PER_PAGE = 25


def _on_business(service):
    def act(*, claim, actor, reason):
        return service(business=claim.business, actor=actor, reason=reason)
    return act


# What each of the head of office's buttons does and what it says when done.
ACTIONS = {
    "freeze": (_on_business(claims.business_freeze), _("The business is frozen.")),
    "unfreeze": (_on_business(claims.business_unfreeze), _("The freeze is lifted.")),
    "reassign": (claims.nib_claim_uphold,
                 _("The claim is upheld: the claimant is now the business's only owner.")),
    "reject": (claims.nib_claim_reject, _("The claim is rejected.")),
}


@login_required
def nib_claim_received(request, pk: int):
    """The claimant's page: the office checks. Only what they entered themselves is shown."""
    return render(request, "licensing/nib_claim_received.html", {
        "claim": selectors.nib_claim_get_for_claimant(user=request.user, pk=pk),
    })


@login_required
def nib_claim_list(request):
    if not selectors.may_see_claims(request.user):
        raise PermissionDenied
    state = request.GET.get("state", "")
    if state not in NibClaimState.values:
        state = ""
    page = Paginator(selectors.nib_claim_list_for_office(user=request.user, state=state),
                     CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "licensing/nib_claim_list.html", {
        "page": page, "state": state, "states": NibClaimState.choices,
    })


@login_required
def nib_claim_detail(request, pk: int):
    claim = selectors.nib_claim_get_for_office(user=request.user, pk=pk)
    return render(request, "licensing/nib_claim_detail.html", {
        "claim": claim,
        "business": claim.business,
        "owners": claim.business.owner_memberships,
        # The business's freezes and the claim's decision, in the order they happened.
        "history": sorted([*object_history(instance=claim.business),
                           *object_history(instance=claim)],
                          key=lambda entry: (entry.created_at, entry.pk)),
        "decides": roles.in_group(request.user, roles.HEAD_OF_OFFICE),
        "reason_forms": {action: ClaimReasonForm(auto_id=f"{action}_%s") for action in ACTIONS},
    })


@login_required
@require_POST
@once
def nib_claim_act(request, pk: int, action: str):
    claim = selectors.nib_claim_get_for_office(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    form = ClaimReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        service(claim=claim, actor=request.user, reason=reason)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return redirect("nib_claim_detail", pk=claim.pk)

"""Counter intake: front-office staff file an application for a walk-in business, registering
the business on its owner's behalf first when it has its NIB from OSS but no account here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from licensing import roles, selectors, services
from licensing.forms import CounterApplicationForm, CounterBusinessForm, NibLookupForm
from licensing.once import once
from workflows.machine import TransitionRefused


def _front_office_only(request) -> None:
    if not roles.in_group(request.user, roles.FRONT_OFFICE):
        raise PermissionDenied


def _page(request, *, lookup, business=None, form=None, registration=None):
    return render(request, "licensing/counter_intake.html", {
        "lookup": lookup,
        "business": business,
        "owner_invitation": selectors.invitation_pending_owner(business=business)
        if business else None,
        "form": form,
        "registration": registration,
        "recent": selectors.application_list_filed_at_counter(user=request.user)[:20],
    })


@login_required
@once
def counter_intake(request):
    _front_office_only(request)
    if request.method == "POST":
        form = CounterApplicationForm(request.POST)
        if form.is_valid():
            try:
                application = services.application_create(
                    business=form.cleaned_data["business"],
                    permit_type=form.cleaned_data["permit_type"], actor=request.user,
                )
            except TransitionRefused as refused:
                messages.error(request, refused.message)
                return redirect("counter_intake")
            messages.success(request, _("Application %(reference)s filed at the counter for "
                                        "%(business)s.")
                             % {"reference": application.reference,
                                "business": application.business.legal_name})
            return redirect("application_edit", pk=application.pk)
        business = form.cleaned_data.get("business")
        lookup = NibLookupForm(initial={"nib": business.nib if business else ""})
        return _page(request, lookup=lookup, business=business, form=form)
    lookup = NibLookupForm(request.GET or None)
    if not lookup.is_valid():
        return _page(request, lookup=lookup)
    nib = lookup.cleaned_data["nib"]
    business = selectors.business_find_by_nib(nib=nib)
    if business is None:
        messages.info(request, _("No business with NIB %(nib)s is registered.") % {"nib": nib})
        return _page(request, lookup=lookup, registration=CounterBusinessForm(initial={"nib": nib}))
    return _page(request, lookup=lookup, business=business,
                 form=CounterApplicationForm(initial={"business": business}))


@login_required
@once
def counter_business_register(request):
    """Register a walk-in business for its owner, then go on to file its application."""
    _front_office_only(request)
    if request.method != "POST":
        return redirect("counter_intake")
    registration = CounterBusinessForm(request.POST)
    if registration.is_valid():
        try:
            business = services.business_register_at_counter(
                actor=request.user,
                accept_url_for=lambda invitation: request.build_absolute_uri(
                    reverse("invitation_accept", args=[invitation.token])
                ),
                **registration.cleaned_data,
            )
        except TransitionRefused as refused:
            messages.error(request, refused.message)
            return redirect("counter_intake")
        except ValidationError as error:
            registration.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is registered. An invitation to act for it as "
                                        "owner was sent to %(email)s.")
                             % {"name": business.legal_name,
                                "email": registration.cleaned_data["owner_email"]})
            return redirect(reverse("counter_intake") + "?" + urlencode({"nib": business.nib}))
    return _page(request, lookup=NibLookupForm(initial={"nib": request.POST.get("nib", "")}),
                 registration=registration)

"""Counter intake: front-office staff file an application for a walk-in business."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from licensing import roles, selectors, services
from licensing.forms import CounterApplicationForm, NibLookupForm
from licensing.once import once
from workflows.machine import TransitionRefused


@login_required
@once
def counter_intake(request):
    if not roles.in_group(request.user, roles.FRONT_OFFICE):
        raise PermissionDenied
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
    else:
        lookup = NibLookupForm(request.GET or None)
        business = None
        if lookup.is_valid():
            business = selectors.business_find_by_nib(nib=lookup.cleaned_data["nib"])
            if business is None:
                messages.error(request, _("No business with NIB %(nib)s is registered. The "
                                          "business registers first, with its own account.")
                               % {"nib": lookup.cleaned_data["nib"]})
        form = CounterApplicationForm(initial={"business": business}) if business else None
    return render(request, "licensing/counter_intake.html", {
        "lookup": lookup,
        "business": business,
        "form": form,
        "recent": selectors.application_list_filed_at_counter(user=request.user)[:20],
    })

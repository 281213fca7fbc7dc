"""Counter intake: front-office staff file an application for a walk-in business, registering
the business on its owner's behalf first when it has its NIB from OSS but no account here."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from documents import selectors as document_selectors
from licensing import claims, oss, roles, selectors, services
from licensing.contact import office_contact
from licensing.forms import (
    CounterApplicationForm,
    CounterBusinessForm,
    CounterClaimForm,
    NibLookupForm,
)
from licensing.once import once
from workflows.machine import TransitionRefused


def _front_office_only(request) -> None:
    if not roles.in_group(request.user, roles.FRONT_OFFICE):
        raise PermissionDenied


def _page(request, *, lookup, business=None, form=None, registration=None, claim_form=None):
    if business and claim_form is None:
        claim_form = CounterClaimForm(initial={"business": business})
    return render(request, "licensing/counter_intake.html", {
        "lookup": lookup,
        "business": business,
        "owner_invitation": selectors.invitation_pending_owner(business=business)
        if business else None,
        # The office may see who owns a NIB: a walk-in who says it is theirs gets a claim.
        "owners": selectors.owner_list_for_business(business=business) if business else [],
        "open_claims": selectors.nib_claim_list_open_for_business(user=request.user,
                                                                  business=business)
        if business else [],
        "claim_form": claim_form,
        "form": form,
        "registration": registration,
        "recent": selectors.application_list_filed_at_counter(user=request.user)[:20],
    })


@transaction.non_atomic_requests  # it asks OSS: see views.businesses.business_register
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
        return _page(request, lookup=lookup, registration=_registration_for(request, nib))
    return _page(request, lookup=lookup, business=business,
                 form=CounterApplicationForm(initial={"business": business}))


def _registration_for(request, nib: str) -> CounterBusinessForm | None:
    """The registration form for a NIB not registered here, filled in from OSS when OSS knows
    it; none when OSS does not (the walk-in needs their NIB first). OSS unreachable: the clerk
    types it all, and the NIB is accepted on its format (the form checks OSS again)."""
    if not oss.inquiry_enabled():
        return CounterBusinessForm(initial={"nib": nib})
    try:
        record = oss.nib_inquiry(nib)
    except oss.OssUnavailable:
        messages.warning(request, _("OSS cannot be reached now: check the NIB against the "
                                    "business's NIB document."))
        return CounterBusinessForm(initial={"nib": nib})
    if record is None:
        messages.error(request, _("OSS has no business with NIB %(nib)s. The business needs its "
                                  "NIB from oss.go.id first.") % {"nib": nib})
        return None
    messages.info(request, _("Filled in from OSS. Add the kecamatan and the owner's e-mail "
                             "address."))
    return CounterBusinessForm(initial={
        "nib": nib, "legal_name": record.legal_name, "npwp": record.npwp,
        "street_address": record.street_address, "kelurahan": record.kelurahan,
        "kbli_codes": ", ".join(record.kbli_codes),
    })


@transaction.non_atomic_requests  # it asks OSS: see views.businesses.business_register
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
                # The site's own address, never the request's Host header.
                accept_url_for=lambda invitation: settings.SITE_URL.rstrip("/") + reverse(
                    "invitation_accept", args=[invitation.token]),
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


@login_required
@once
def counter_claim_record(request):
    """A walk-in person says a NIB registered here is theirs: record their claim for the head
    of office instead of registering the business again."""
    _front_office_only(request)
    if request.method != "POST":
        return redirect("counter_intake")
    claim_form = CounterClaimForm(request.POST)
    business = None
    if claim_form.is_valid():
        business = claim_form.cleaned_data["business"]
        try:
            claim = claims.nib_claim_record_at_counter(
                actor=request.user, business=business,
                claimant_email=claim_form.cleaned_data["claimant_email"],
                claimant_name=claim_form.cleaned_data["claimant_name"],
                note=claim_form.cleaned_data["note"],
            )
        except TransitionRefused as refused:
            messages.error(request, refused.message)
            return redirect("counter_intake")
        except ValidationError as error:
            claim_form.add_error(None, error)
        else:
            messages.success(request, _("The claim of %(email)s to NIB %(nib)s is recorded. The "
                                        "head of office decides it.")
                             % {"email": claim.claimant_email, "nib": business.nib})
            return redirect(reverse("counter_intake") + "?" + urlencode({"nib": business.nib}))
    business = business or claim_form.cleaned_data.get("business")
    return _page(request, lookup=NibLookupForm(initial={"nib": business.nib if business else ""}),
                 business=business, claim_form=claim_form,
                 form=CounterApplicationForm(initial={"business": business}) if business else None)


@login_required
def counter_receipt(request, pk: int):
    """The filing receipt a walk-in takes home: what was filed, by whom, with which documents,
    what happens next and where to follow it. Whoever may read the application may print it;
    an application filed online has none (404)."""
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    if not application.filed_at_counter:
        raise Http404
    site = settings.SITE_URL.rstrip("/")
    return render(request, "licensing/counter_receipt.html", {
        "application": application,
        "permit_type": application.permit_type,
        "steps": list(application.permit_type.review_steps.all()),
        "documents": document_selectors.application_documents(application=application),
        "contact": office_contact(),
        # The site's own address, never the request's Host header: it is printed on paper.
        "follow_url": site + reverse("application_detail", args=[application.pk]),
        "help_url": site + reverse("permit_type_help", args=[application.permit_type.code]),
    })

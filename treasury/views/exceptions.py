"""Treasury pages: reconciliation exceptions. The queue of each kind (``?kind=``; tabs
``?view=open|awaiting|done``) with the counts per kind; one exception with its evidence and
history; the officers' steps on it: resolve, propose a write-off or a manual match, approve a
proposal (a supervisor who did not propose it) or reject it (any officer but the proposer).
Each POST parses its form and calls one service; a form error or a refusal shows the page again
with what was typed (400; 403 for an approval refused to an officer or to the proposer, and for
the proposer's own rejection)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from licensing.once import once
from treasury import exceptions as services
from treasury import resolutions
from treasury.access import treasury_required
from treasury.models import Discrepancy
from treasury.selectors import exceptions as selectors
from treasury.selectors.refunds import payment_may_refund
from treasury.states import DiscrepancyKind, DiscrepancyState, Resolution
from workflows.machine import TransitionRefused
from workflows.selectors import object_history

PAGE_SIZE = 50
S = DiscrepancyState
MATCH_LABELS = {
    "match_payment": gettext_lazy("The payment it belongs to"),
    "match_payout": gettext_lazy("The payout it belongs to"),
    "match_bank_line": gettext_lazy("The bank line it arrived on"),
}
NOTE_HELP = gettext_lazy("What was found, and why this settles it. It stays in the history.")


NOTE_LABEL = gettext_lazy("Note")


def _note_field(label=NOTE_LABEL, help_text=NOTE_HELP) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class _ResolutionForm(forms.Form):
    """Shows the resolutions of its ``step`` that the service accepts now, as
    ``treasury.resolutions`` says. Takes any: a choice from a page gone stale then gets the
    service's own reason, not "not one of the available choices"."""

    step = ""
    resolution = forms.ChoiceField(choices=Resolution.choices, widget=forms.RadioSelect)
    note = _note_field()

    def __init__(self, *args, options: list[resolutions.Option], **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = [option.resolution for option in options
                        if option.step == self.step and option.offered]
        self.fields["resolution"].widget.choices = [(resolution.value, resolution.label)
                                                    for resolution in self.offered]

    @property
    def offers(self) -> bool:
        return bool(self.offered)


class ResolveForm(_ResolutionForm):
    step = resolutions.RESOLVE

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_resolve_%s")
        kwargs.setdefault("initial", {"resolution": Resolution.EXPLAINED})
        super().__init__(*args, **kwargs)
        self.fields["resolution"].label = gettext_lazy("Resolution")


class ProposeForm(_ResolutionForm):
    step = resolutions.PROPOSE
    # Any number is taken, like the resolution: the service says whether it is free to match.
    match = forms.IntegerField(required=False, widget=forms.Select)
    field_order = ["resolution", "match", "note"]

    def __init__(self, *args, discrepancy: Discrepancy, **kwargs):
        kwargs.setdefault("auto_id", "id_propose_%s")
        super().__init__(*args, **kwargs)
        self.fields["resolution"].label = gettext_lazy("Proposal")
        field = self.fields["match"]
        if discrepancy.kind not in resolutions.MATCH_FIELD:
            del self.fields["match"]
        elif Resolution.MANUAL_MATCH not in self.offered:
            field.widget = forms.HiddenInput()  # carries a stale page's choice to the service
        else:
            field.label = MATCH_LABELS[resolutions.MATCH_FIELD[discrepancy.kind]]
            field.help_text = gettext_lazy("For a manual match: the nearest in amount first.")
            field.widget.choices = [("", "—"),
                                    *selectors.match_choices(discrepancy=discrepancy)]


class RejectForm(forms.Form):
    note = _note_field(gettext_lazy("Why it goes back"), "")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_reject_%s")
        super().__init__(*args, **kwargs)


@treasury_required
def exception_list(request):
    kind = request.GET.get("kind") if request.GET.get("kind") in DiscrepancyKind.values else ""
    view = request.GET.get("view") if request.GET.get("view") in selectors.VIEWS else "open"
    page = Paginator(selectors.exception_queue(kind=kind or None, view=view),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.open_exception_counts()
    return render(request, "treasury/exceptions/list.html", {
        "kinds": [(choice.value, choice.label, counts[choice.value])
                  for choice in DiscrepancyKind],
        "total": sum(counts.values()),
        "kind": kind,
        "kind_label": DiscrepancyKind(kind).label if kind else "",
        "view": view,
        "page": page,
        "rows": [(row, selectors.exception_evidence(discrepancy=row, summary=True))
                 for row in page],
    })


@treasury_required
def exception_detail(request, pk: int):
    return _detail(request, selectors.exception_get(pk=pk))


def _detail(request, discrepancy: Discrepancy, *, resolve_form=None, propose_form=None,
            reject_form=None, status=200):
    is_open = discrepancy.state == S.OPEN
    awaiting = discrepancy.state == S.AWAITING_APPROVAL
    proposed_by_you = awaiting and discrepancy.proposed_by_id == request.user.pk
    # What the services would accept now, and why not the rest: the forms offer only the first.
    options = resolutions.resolution_options(discrepancy=discrepancy, actor=request.user) \
        if is_open else []
    if is_open:
        resolve_form = resolve_form or ResolveForm(options=options)
        propose_form = propose_form or ProposeForm(discrepancy=discrepancy, options=options)
    if awaiting and not proposed_by_you:
        reject_form = reject_form or RejectForm()
    payment = discrepancy.payment
    proposals_apply = any(option.step == resolutions.PROPOSE for option in options)
    return render(request, "treasury/exceptions/detail.html", {
        "discrepancy": discrepancy,
        "evidence": selectors.exception_evidence(discrepancy=discrepancy),
        "history": object_history(instance=discrepancy),
        "is_open": is_open,
        "resolve_form": resolve_form if is_open and resolve_form.offers else None,
        "propose_form": propose_form if is_open and propose_form.offers else None,
        "refused_resolve": [option for option in options
                            if option.step == resolutions.RESOLVE and not option.offered],
        "refused_propose": [option for option in options
                            if option.step == resolutions.PROPOSE and not option.offered],
        "proposals_apply": proposals_apply,
        # Before a write-off or a manual match, and on its approval: a credit of the amount
        # at stake the officer may have missed, or the one a match proposes.
        "same_amount": selectors.same_amount_lines(discrepancy=discrepancy)
        if awaiting or (is_open and propose_form.offers) else None,
        "reject_form": reject_form if awaiting and not proposed_by_you else None,
        # The approve button only for whoever the service would let through; the others are
        # told why not.
        "approve_refusal": services.exception_refusal(discrepancy=discrepancy,
                                                      actor=request.user) if awaiting else None,
        "proposed_by_you": proposed_by_you,
        "match": discrepancy.match_payment or discrepancy.match_payout
        or discrepancy.match_bank_line,
        "match_label": selectors.match_label(discrepancy.match_payment
                                             or discrepancy.match_payout
                                             or discrepancy.match_bank_line),
        "may_refund": payment is not None and payment_may_refund(payment=payment),
    }, status=status)


def _options(request, discrepancy: Discrepancy) -> list[resolutions.Option]:
    return resolutions.resolution_options(discrepancy=discrepancy, actor=request.user)


def _back(discrepancy: Discrepancy):
    return redirect("treasury:exception_detail", pk=discrepancy.pk)


@treasury_required
@once
def exception_resolve(request, pk: int):
    discrepancy = selectors.exception_get(pk=pk)
    if request.method != "POST":
        return _back(discrepancy)
    form = ResolveForm(request.POST, options=_options(request, discrepancy))
    if form.is_valid():
        try:
            services.exception_resolve(discrepancy=discrepancy, actor=request.user,
                                       note=form.cleaned_data["note"],
                                       resolution=form.cleaned_data["resolution"])
        except TransitionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The exception is resolved."))
            return _back(discrepancy)
    return _detail(request, discrepancy, resolve_form=form, status=400)


@treasury_required
@once
def exception_propose(request, pk: int):
    discrepancy = selectors.exception_get(pk=pk)
    if request.method != "POST":
        return _back(discrepancy)
    form = ProposeForm(request.POST, discrepancy=discrepancy,
                       options=_options(request, discrepancy))
    if form.is_valid():
        data = form.cleaned_data
        match = {}
        if data["resolution"] == Resolution.MANUAL_MATCH and \
                discrepancy.kind in resolutions.MATCH_FIELD:
            match = {resolutions.MATCH_FIELD[discrepancy.kind]: selectors.match_target(
                discrepancy=discrepancy, pk=data.get("match"))}
        try:
            services.exception_propose(discrepancy=discrepancy, actor=request.user,
                                       resolution=data["resolution"], note=data["note"],
                                       **match)
        except TransitionRefused as refused:
            shown = "match" in form.fields and not form.fields["match"].widget.is_hidden
            field = "match" if refused.code.startswith("match") and shown else None
            form.add_error(field, refused.message)
        else:
            messages.success(request, _("Proposed. A treasury supervisor approves it, or another "
                                        "officer rejects it."))
            return _back(discrepancy)
    return _detail(request, discrepancy, propose_form=form, status=400)


@treasury_required
@once
def exception_approve(request, pk: int):
    discrepancy = selectors.exception_get(pk=pk)
    if request.method != "POST":
        return _back(discrepancy)
    try:
        services.exception_approve(discrepancy=discrepancy, actor=request.user)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        return _detail(request, discrepancy,
                       status=403 if refused.code == "permission_denied" else 400)
    messages.success(request, _("Approved: the proposal is applied."))
    return _back(discrepancy)


@treasury_required
@once
def exception_reject(request, pk: int):
    discrepancy = selectors.exception_get(pk=pk)
    if request.method != "POST":
        return _back(discrepancy)
    form = RejectForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.exception_reject(discrepancy=discrepancy, actor=request.user,
                                      note=form.cleaned_data["note"])
        except TransitionRefused as refused:
            messages.error(request, refused.message)
            status = 403 if refused.code == "permission_denied" else 400
        else:
            messages.success(request, _("The proposal went back: the exception is open again."))
            return _back(discrepancy)
    return _detail(request, discrepancy, reject_form=form, status=status)


urlpatterns = [
    path("", exception_list, name="exception_list"),
    path("<int:pk>/", exception_detail, name="exception_detail"),
    path("<int:pk>/resolve/", exception_resolve, name="exception_resolve"),
    path("<int:pk>/propose/", exception_propose, name="exception_propose"),
    path("<int:pk>/approve/", exception_approve, name="exception_approve"),
    path("<int:pk>/reject/", exception_reject, name="exception_reject"),
]

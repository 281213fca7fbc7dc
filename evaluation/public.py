"""What anyone may read about the service without signing in (issue 14 §3): the service standard
of each permit type, read from the live configuration as the catalogue is, and the public
register of issued permits.

The register shows a permit's number, type, holder's legal name, district, validity and state:
nothing that names a person (no owner, no person responsible) and no contact detail or tax
number. The rows are read with ``only()`` those columns, so nothing else even leaves the
database. Search is by the start of the permit number or of the business's legal name, each
answered by an index on PostgreSQL (the number's own ``_like`` index, and
``licensing.0008_permit_public_register_idx`` on the name); pages are keyset pages, so a page
costs the same at the millionth permit as at the first."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from documents.verification import permit_public_state, verification_path
from licensing.models import Permit, PermitState, PermitType
from licensing.models.people import Kecamatan
from licensing.selectors import permit_type_list_public
from payments.selectors import FeeExample, RuleInWords, fee_rules_in_words, fee_worked_example

# The service standards.


def service_standard_list() -> QuerySet[PermitType]:
    """Every permit type open for applications, with its steps and documents in three queries
    however many types there are."""
    return permit_type_list_public()


@dataclass(frozen=True)
class ServiceStandard:
    """The standard of one permit type as the office runs it today: the components the
    public-service standard names (requirements, procedure, time, cost, product)."""

    permit_type: PermitType
    documents: list
    fields: list
    steps: list
    fee_rules: list[RuleInWords]
    fee_example: FeeExample | None

    @property
    def total_working_days(self) -> int:
        return self.permit_type.service_standard_days

    @property
    def steps_working_days(self) -> int:
        """The steps' own times added up; the standard, not this sum, is what the office owes."""
        return sum(step.sla_working_days for step in self.steps)


def service_standard_get(*, code: str) -> ServiceStandard:
    permit_type = get_object_or_404(service_standard_list(), code=code)
    return ServiceStandard(
        permit_type=permit_type,
        documents=list(permit_type.required_documents.all()),
        fields=list(permit_type.form_fields.all()),
        steps=list(permit_type.review_steps.all()),
        fee_rules=fee_rules_in_words(permit_type=permit_type),
        fee_example=fee_worked_example(permit_type=permit_type),
    )


# The public register.

PAGE_SIZE = 25
# Counting every match of a broad filter on a large register costs a full scan; past this many
# the page says "more than" instead.
COUNT_CAP = 1000
# The longest search the page accepts: longer than any permit number or legal name a person types.
SEARCH_MAX_LENGTH = 100

@dataclass(frozen=True)
class RegisterRow:
    number: str
    permit_type: str
    holder: str
    district: str
    valid_from: date
    valid_until: date | None
    state: str
    state_label: str
    verification_url: str


@dataclass(frozen=True)
class RegisterPage:
    rows: list[RegisterRow]
    count: int  # at most COUNT_CAP, then ``count_capped``
    count_capped: bool
    next_after: int | None  # the key of the next (older) page, None on the last
    previous_before: int | None  # the key of the previous (newer) page, None on the first


def _state_filter(state: str, today: date) -> Q:
    ended = Q(valid_until__lt=today)
    if state == PermitState.ACTIVE:
        return Q(state=PermitState.ACTIVE) & ~ended
    if state == PermitState.EXPIRED:
        return Q(state=PermitState.EXPIRED) | (Q(state=PermitState.ACTIVE) & ended)
    return Q(state=state)


def register_queryset(*, number: str = "", name: str = "", permit_type: PermitType | None = None,
                      state: str = "", today: date | None = None) -> QuerySet[Permit]:
    """Issued permits (a permit without its signed PDF is still being issued), filtered.

    ``number``: the start of the permit number (numbers are written in capitals: the type's code
    and the office's pattern); ``name``: the start of the legal name, in any case."""
    today = today or timezone.localdate()
    permits = (
        Permit.objects.exclude(file="")
        .select_related("holder", "permit_type")
        # ``holder__state``: django-fsm's concurrency guard reads a business's state when the
        # row is made; deferred, that read would be a query per row.
        .only("number", "state", "valid_from", "valid_until", "verification_code",
              "holder__legal_name", "holder__kecamatan", "holder__state",
              "permit_type__code", "permit_type__name_id", "permit_type__name_en")
    )
    if number := number.strip()[:SEARCH_MAX_LENGTH]:
        permits = permits.filter(number__startswith=number.upper())
    if name := name.strip()[:SEARCH_MAX_LENGTH]:
        permits = permits.filter(holder__legal_name__istartswith=name)
    if permit_type is not None:
        permits = permits.filter(permit_type=permit_type)
    if state:
        permits = permits.filter(_state_filter(state, today))
    return permits


def _row(permit: Permit, today: date) -> RegisterRow:
    state = permit_public_state(permit, today=today)
    kecamatan = permit.holder.kecamatan
    return RegisterRow(
        number=permit.number,
        permit_type=permit.permit_type.name,
        holder=permit.holder.legal_name,
        district=Kecamatan(kecamatan).label if kecamatan in Kecamatan.values else "",
        valid_from=permit.valid_from,
        valid_until=permit.valid_until,
        state=state.value,
        state_label=str(state.label),
        verification_url=verification_path(permit),
    )


def permit_register_page(*, after: int | None = None, before: int | None = None,
                         today: date | None = None, **filters) -> RegisterPage:
    """One page of the register, newest first, in two queries (the rows and a bounded count)
    wherever it starts. ``after``: the rows older than this key; ``before``: newer."""
    today = today or timezone.localdate()
    permits = register_queryset(today=today, **filters)
    if before is not None:
        rows = list(permits.filter(pk__gt=before).order_by("pk")[:PAGE_SIZE + 1])
        newer = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE][::-1]
        older = True  # the page we came back from
    else:
        page = permits.order_by("-pk")
        if after is not None:
            page = page.filter(pk__lt=after)
        rows = list(page[:PAGE_SIZE + 1])
        older = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        newer = after is not None
    count = permits.order_by()[:COUNT_CAP + 1].count()
    return RegisterPage(
        rows=[_row(permit, today) for permit in rows],
        count=min(count, COUNT_CAP),
        count_capped=count > COUNT_CAP,
        next_after=rows[-1].pk if rows and older else None,
        previous_before=rows[0].pk if rows and newer else None,
    )

"""Reads for the applicant portal and the counter. Every queryset is scoped to the person asking,
so a view cannot forget who may see what: anything outside the scope is a 404."""


from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from licensing import roles
from licensing.answers import answer_display
from licensing.models import (
    Application,
    Business,
    BusinessInvitation,
    BusinessMembership,
    FormField,
    MemberRole,
    NibClaim,
    NibClaimState,
    Permit,
    PermitType,
    RequiredDocument,
)
from licensing.register import may_see_register

# The public catalogue.


def permit_type_list_public() -> QuerySet[PermitType]:
    """Permit types open for applications, with everything their catalogue page shows."""
    return PermitType.objects.filter(is_active=True).prefetch_related(
        "required_documents",
        "form_fields",
        "review_steps__groups__review_unit",
    )


def permit_type_get_public(*, code: str) -> PermitType:
    return get_object_or_404(permit_type_list_public(), code=code)


# Businesses and the people who act for them.


def business_list_for_user(*, user) -> QuerySet[Business]:
    return Business.objects.filter(memberships__user=user).order_by("legal_name")


def business_get_for_member(*, user, pk: int) -> Business:
    return get_object_or_404(business_list_for_user(user=user), pk=pk)


def business_find_by_nib(*, nib: str) -> Business | None:
    """For the counter: front-office staff look up a walk-in business by its NIB."""
    return Business.objects.filter(nib=nib).first()


def membership_list_for_business(*, business: Business) -> QuerySet[BusinessMembership]:
    return business.memberships.select_related("user").order_by("role", "user__full_name")


def invitation_list_pending(*, business: Business) -> QuerySet[BusinessInvitation]:
    return business.invitations.filter(accepted_at__isnull=True).order_by("-created_at")


def invitation_pending_owner(*, business: Business) -> BusinessInvitation | None:
    """For the counter: the owner's invitation of a business registered there, until accepted."""
    return invitation_list_pending(business=business).filter(role=MemberRole.OWNER).first()


def invitation_get_for_user(*, user, token: str) -> BusinessInvitation:
    """An unused invitation addressed to this user's e-mail address, else 404."""
    return get_object_or_404(
        BusinessInvitation.objects.select_related("business", "invited_by"),
        token=token, email=user.email.lower(), accepted_at__isnull=True,
    )


def user_is_owner(*, user, business: Business) -> bool:
    return business.memberships.filter(user=user, role=MemberRole.OWNER).exists()


def owner_list_for_business(*, business: Business) -> QuerySet[BusinessMembership]:
    """For the office: who owns the business, and since when."""
    return business.memberships.filter(role=MemberRole.OWNER).select_related("user").order_by(
        "created_at", "pk"
    )


# NIB claims: the office's (head of office and front office) alone; a claimant sees only
# that their own claim was received, never the business it names.


def may_see_claims(user) -> bool:
    return any(roles.in_group(user, name) for name in (roles.HEAD_OF_OFFICE, roles.FRONT_OFFICE))


def nib_claim_list_for_office(*, user, state: str = "") -> QuerySet[NibClaim]:
    """Open claims first, newest first; each with its business's owners (``owner_memberships``)
    and how the business was registered."""
    if not may_see_claims(user):
        return NibClaim.objects.none()
    claims = NibClaim.objects.all()
    if state:
        claims = claims.filter(state=state)
    return (
        claims.select_related("business__registered_at_counter_by", "claimant",
                              "recorded_at_counter_by", "decided_by")
        .prefetch_related(Prefetch(
            "business__memberships",
            queryset=BusinessMembership.objects.filter(role=MemberRole.OWNER)
            .select_related("user").order_by("created_at", "pk"),
            to_attr="owner_memberships",
        ))
        .annotate(open_first=Case(When(state=NibClaimState.OPEN, then=Value(0)), default=Value(1),
                                  output_field=IntegerField()))
        .order_by("open_first", "-created_at", "-pk")
    )


def nib_claim_get_for_office(*, user, pk: int) -> NibClaim:
    return get_object_or_404(nib_claim_list_for_office(user=user), pk=pk)


def nib_claim_list_open_for_business(*, user, business: Business) -> QuerySet[NibClaim]:
    """For the counter: the open claims to a business the clerk looked up."""
    return nib_claim_list_for_office(user=user, state=NibClaimState.OPEN).filter(
        business=business
    )


def nib_claim_get_for_claimant(*, user, pk: int) -> NibClaim:
    """The claimant's own claim, for the page that says it was received; else 404."""
    return get_object_or_404(NibClaim.objects.filter(claimant=user), pk=pk)


# Applications.


def _visible_to(user) -> Q:
    """Who may read an application: the business's own people; the front office, for what was
    filed at the counter; reviewers whose group holds a task on it (``licensing.rules``)."""
    visible = Q(business__memberships__user=user) | Q(review_tasks__group__in=user.groups.all())
    if roles.in_group(user, roles.FRONT_OFFICE):
        visible |= Q(filed_at_counter=True)
    return visible


def applications_visible_to(user) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    if user.is_superuser:
        return Application.objects.all()
    # A subquery rather than joins in the outer query: several matching rows give one result.
    return Application.objects.filter(
        pk__in=Application.objects.filter(_visible_to(user)).values("pk")
    )


def application_list_for_user(*, user) -> QuerySet[Application]:
    """The applications of the businesses I act for, newest first."""
    return (
        Application.objects.filter(
            business__in=Business.objects.filter(memberships__user=user).values("pk")
        )
        .select_related("business", "permit_type")
        .order_by("-created_at")
    )


def application_list_filed_at_counter(*, user) -> QuerySet[Application]:
    if not roles.in_group(user, roles.FRONT_OFFICE):
        return Application.objects.none()
    return (
        Application.objects.filter(filed_at_counter=True)
        .select_related("business", "permit_type", "created_by")
        .order_by("-created_at")
    )


def application_get_for_user(*, user, pk: int) -> Application:
    return get_object_or_404(
        applications_visible_to(user).select_related("business", "permit_type", "created_by"),
        pk=pk,
    )


def permit_get_for_user(*, user, pk: int) -> Permit:
    """An issued permit (its signed PDF stored) of an application the user may see, or any
    issued permit for office staff who read the register; else 404."""
    permits = Permit.objects.exclude(file="")
    if not may_see_register(user):
        permits = permits.filter(application__in=applications_visible_to(user).values("pk"))
    return get_object_or_404(permits, pk=pk)


def application_permit(*, application: Application) -> Permit | None:
    """The application's permit once its signed PDF is stored; None while it is being issued."""
    return Permit.objects.filter(application=application).exclude(file="").first()


def requirement_get_for_application(*, application: Application, pk: int) -> RequiredDocument:
    return get_object_or_404(application.permit_type.required_documents.all(), pk=pk)


# What the application page shows.


def application_answers(*, application: Application) -> list[tuple[FormField, str]]:
    return [
        (field, answer_display(field, application.answers.get(field.key)))
        for field in application.permit_type.form_fields.all()
    ]



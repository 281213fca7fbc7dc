"""Nobody makes themselves owner of a NIB that is not theirs. Each test is an attack that fails:
registering someone else's NIB records a claim and reveals nothing; only the head of office
freezes, reassigns, rejects and unfreezes, and every such move is audited."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from licensing import claims, roles, services
from licensing.models import (
    Business,
    BusinessInvitation,
    BusinessMembership,
    MemberRole,
    NibClaim,
    NibClaimState,
)
from licensing.states import ApplicationState
from licensing.views.claims import CLAIMS_PER_PAGE
from tests.factories import BusinessFactory, PermitTypeFactory, UserFactory
from tests.lifecycle import complete, draft
from tests.portal import in_english, post
from workflows.machine import TransitionRefused
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db

NIB = "9120001234567"
FORM = {
    "legal_name": "CV Pengaku Palsu",
    "nib": "9120.0012.34567",
    "npwp": "01.234.567.8-912.000",
    "street_address": "Jl. Lain No. 99",
    "kecamatan": "sail",
    "kelurahan": "Cinta Raja",
    "kbli_codes": "56101",
}


@pytest.fixture
def owner():
    return UserFactory(full_name="Siti Pemilik Asli", email="siti@asli.id")


@pytest.fixture
def business(owner):
    return BusinessFactory(nib=NIB, legal_name="PT Usaha Asli", street_address="Jl. Asli No. 1",
                           npwp="098765432109000", owner=owner)


@pytest.fixture
def clerk():
    return UserFactory(groups=[roles.FRONT_OFFICE], full_name="Rina Petugas")


@pytest.fixture
def head():
    return UserFactory(groups=[roles.HEAD_OF_OFFICE], full_name="Budi Kepala")


@pytest.fixture
def web(client):
    return in_english(client)


def owners_of(business) -> set:
    return set(business.memberships.filter(role=MemberRole.OWNER).values_list("user", flat=True))


def audit(instance):
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk,
    ).order_by("pk")


def claim_by(claimant, business) -> NibClaim:
    return claims.nib_claim_record_online(actor=claimant, business=business,
                                          data={"legal_name": "CV Pengaku"})


# Registering someone else's NIB online.


def test_registering_an_owned_nib_makes_nobody_owner_and_reveals_nothing(web, owner, business):
    stranger = UserFactory(full_name="Andi Pengaku")
    web.force_login(stranger)

    response = post(web, reverse("business_register"), FORM)

    claim = NibClaim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("nib_claim_received", args=[claim.pk])
    assert (claim.business, claim.claimant, claim.claimant_email, claim.state) == (
        business, stranger, stranger.email, NibClaimState.OPEN)
    assert claim.data["legal_name"] == "CV Pengaku Palsu"
    assert claim.recorded_at_counter_by is None
    assert owners_of(business) == {owner.pk}
    assert not BusinessMembership.objects.filter(user=stranger).exists()
    assert Business.objects.count() == 1

    page = web.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "The licensing office will check the registration of this NIB" in text
    assert "already registered" not in text
    for secret in ("Siti Pemilik Asli", "siti@asli.id", "PT Usaha Asli", "Jl. Asli No. 1",
                   "098765432109000"):
        assert secret not in text
    # Nor anywhere the claimant can reach: the business page is still not theirs.
    assert web.get(reverse("business_detail", args=[business.pk])).status_code == 404


def test_the_service_returns_a_claim_not_the_business(owner, business):
    stranger = UserFactory()
    result = services.business_register(
        actor=stranger, legal_name="CV Lain", nib=NIB, npwp="012345678912000",
        street_address="Jl. Lain", kecamatan="sail", kelurahan="Cinta Raja",
        kbli_codes=["56101"],
    )
    assert isinstance(result, NibClaim)
    assert owners_of(business) == {owner.pk}


def test_claiming_twice_leaves_one_open_claim(web, owner, business):
    stranger = UserFactory()
    web.force_login(stranger)
    first = post(web, reverse("business_register"), FORM)
    second = post(web, reverse("business_register"), {**FORM, "legal_name": "CV Lagi"})
    assert first["Location"] == second["Location"]
    assert NibClaim.objects.filter(state=NibClaimState.OPEN).count() == 1
    # The database says so too, whatever the service does.
    claim = NibClaim.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        NibClaim.objects.create(business=business, claimant_email=claim.claimant_email)


def test_an_owner_registering_their_own_nib_again_gets_no_claim(web, owner, business):
    web.force_login(owner)
    response = post(web, reverse("business_register"), FORM)
    assert response.status_code == 200
    assert "You already act for this business." in response.content.decode()
    assert not NibClaim.objects.exists()


# The counter.


def test_the_clerk_sees_the_owners_and_records_a_walk_in_claim(web, clerk, owner, business):
    web.force_login(clerk)
    page = web.get(reverse("counter_intake"), {"nib": NIB}).content.decode()
    assert "Siti Pemilik Asli" in page and "siti@asli.id" in page
    assert "Registered online on" in page
    assert reverse("counter_claim_record") in page

    response = post(web, reverse("counter_claim_record"), {
        "business": business.pk, "claimant_email": "Walkin@Contoh.id",
        "claimant_name": "Joko Datang", "note": "Showed the OSS NIB certificate.",
    })

    assert response.status_code == 302
    claim = NibClaim.objects.get()
    assert (claim.claimant_email, claim.claimant, claim.recorded_at_counter_by, claim.note) == (
        "walkin@contoh.id", None, clerk, "Showed the OSS NIB certificate.")
    assert owners_of(business) == {owner.pk}
    page = web.get(response["Location"]).content.decode()
    assert "The claim of walkin@contoh.id to NIB 9120001234567 is recorded." in page
    assert "1 open claim to this NIB." in page


def test_a_counter_claim_links_the_account_when_there_is_one(clerk, business):
    walk_in = UserFactory(email="joko@contoh.id")
    claim = claims.nib_claim_record_at_counter(actor=clerk, business=business,
                                               claimant_email="JOKO@contoh.id", note="KTP")
    assert claim.claimant == walk_in


def test_a_counter_claim_refuses_the_owner_and_non_clerks(clerk, owner, business):
    with pytest.raises(ValidationError):
        claims.nib_claim_record_at_counter(actor=clerk, business=business,
                                           claimant_email=owner.email, note="x")
    with pytest.raises(TransitionRefused):
        claims.nib_claim_record_at_counter(actor=UserFactory(), business=business,
                                           claimant_email="x@contoh.id", note="x")
    assert not NibClaim.objects.exists()


def test_the_counter_no_longer_registers_an_owned_nib_again(web, clerk, business):
    web.force_login(clerk)
    response = post(web, reverse("counter_business_register"),
                    {**FORM, "owner_email": "walkin@contoh.id"})
    assert "A business with this NIB is already registered." in response.content.decode()
    assert Business.objects.count() == 1


# Freezing, reassigning, rejecting: the head of office's alone.


def test_front_office_cannot_freeze_reassign_or_reject(clerk, business):
    claim = claim_by(UserFactory(), business)
    for attempt in (
        lambda: claims.business_freeze(business=business, actor=clerk, reason="x"),
        lambda: claims.nib_claim_uphold(claim=claim, actor=clerk, reason="x"),
        lambda: claims.nib_claim_reject(claim=claim, actor=clerk, reason="x"),
    ):
        with pytest.raises(TransitionRefused) as refused:
            attempt()
        assert refused.value.code == "permission_denied"
        assert "Only the head of office" in str(refused.value.message)
    business.refresh_from_db()
    claim.refresh_from_db()
    assert (business.state, claim.state) == (Business.State.ACTIVE, NibClaimState.OPEN)
    assert not TransitionLog.objects.exists()


def test_front_office_cannot_act_through_the_page(web, clerk, business):
    claim = claim_by(UserFactory(), business)
    web.force_login(clerk)
    page = web.get(reverse("nib_claim_detail", args=[claim.pk])).content.decode()
    assert reverse("nib_claim_act", args=[claim.pk, "freeze"]) not in page
    response = post(web, reverse("nib_claim_act", args=[claim.pk, "freeze"]),
                    {"reason": "I want to"}, follow=True)
    assert "Only the head of office may freeze a business." in response.content.decode()
    business.refresh_from_db()
    assert not business.is_frozen


def test_a_freeze_needs_a_reason(head, business):
    with pytest.raises(TransitionRefused) as refused:
        claims.business_freeze(business=business, actor=head, reason="  ")
    assert refused.value.code == "reason_required"
    business.refresh_from_db()
    assert not business.is_frozen


def test_the_head_freezes_reassigns_to_the_claimant_and_unfreezes(
        web, head, owner, business, django_capture_on_commit_callbacks):
    claimant = UserFactory(full_name="Andi Pengaku")
    permit_type = PermitTypeFactory()
    application, _owner = draft(permit_type=permit_type, owner=owner, business=business)
    complete(application, owner)
    staff = UserFactory()
    BusinessMembership.objects.create(business=business, user=staff, role=MemberRole.STAFF)
    pending = services.business_invite(business=business, actor=owner, email="teman@asli.id",
                                       accept_url_for=str)
    claim = claim_by(claimant, business)
    web.force_login(head)

    # Frozen: with a reason, on the page.
    response = post(web, reverse("nib_claim_act", args=[claim.pk, "freeze"]),
                    {"reason": "Two people claim this NIB."}, follow=True)
    assert "The business is frozen." in response.content.decode()
    business.refresh_from_db()
    assert business.is_frozen and business.frozen_reason == "Two people claim this NIB."

    # The frozen business can neither start nor submit an application, nor invite, nor be joined.
    for attempt in (
        lambda: services.application_create(business=business, permit_type=permit_type,
                                            actor=owner),
        lambda: services.application_submit(application=application, actor=owner),
        lambda: services.business_invite(business=business, actor=owner, email="x@asli.id",
                                         accept_url_for=str),
        lambda: services.invitation_accept(token=pending.token,
                                           user=UserFactory(email="teman@asli.id")),
    ):
        with pytest.raises(TransitionRefused) as refused:
            attempt()
        assert refused.value.code == "frozen"
        assert "frozen while the office checks who owns its NIB" in str(refused.value.message)
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    assert business.applications.count() == 1
    # Its people see why.
    web.force_login(owner)
    page = web.get(reverse("business_detail", args=[business.pk])).content.decode()
    assert "This business is frozen." in page
    assert "Two people claim this NIB." not in page  # the office's reason stays with the office

    # Reassigned to the claimant: the previous owner and staff are removed, invitations go.
    web.force_login(head)
    response = post(web, reverse("nib_claim_act", args=[claim.pk, "reassign"]),
                    {"reason": "The OSS certificate names Andi."}, follow=True)
    assert "The claim is upheld" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.state, claim.decided_by, claim.reason) == (
        NibClaimState.UPHELD, head, "The OSS certificate names Andi.")
    assert owners_of(business) == {claimant.pk}
    assert list(business.memberships.values_list("user", flat=True)) == [claimant.pk]
    assert {m["email"] for m in claim.replaced_members} == {owner.email, staff.email}
    assert not BusinessInvitation.objects.filter(business=business).exists()

    # Unfrozen, with a reason: the new owner may act again.
    with pytest.raises(TransitionRefused):
        claims.business_unfreeze(business=business, actor=head, reason="")
    claims.business_unfreeze(business=business, actor=head, reason="Decided.")
    business.refresh_from_db()
    assert not business.is_frozen
    services.application_create(business=business, permit_type=permit_type, actor=claimant)

    # Every move audited, with its actor and reason.
    assert [(e.transition, e.source, e.target, e.actor, e.note) for e in audit(business)] == [
        ("freeze", "active", "frozen", head, "Two people claim this NIB."),
        ("unfreeze", "frozen", "active", head, "Decided."),
    ]
    assert [(e.transition, e.source, e.target, e.actor, e.note) for e in audit(claim)] == [
        ("uphold", "open", "upheld", head, "The OSS certificate names Andi."),
    ]


def test_a_claimant_without_an_account_cannot_be_made_owner_yet(clerk, head, owner, business):
    claim = claims.nib_claim_record_at_counter(actor=clerk, business=business,
                                               claimant_email="baru@contoh.id", note="KTP")
    with pytest.raises(TransitionRefused) as refused:
        claims.nib_claim_uphold(claim=claim, actor=head, reason="OSS says so")
    assert refused.value.code == "no_account"
    assert owners_of(business) == {owner.pk}
    # Once they sign up with that address, the claim finds their account.
    newcomer = UserFactory(email="baru@contoh.id")
    claims.nib_claim_uphold(claim=claim, actor=head, reason="OSS says so")
    assert owners_of(business) == {newcomer.pk}


def test_the_head_rejects_a_claim_and_it_cannot_be_decided_again(head, owner, business):
    claimant = UserFactory()
    claim = claim_by(claimant, business)
    with pytest.raises(TransitionRefused):
        claims.nib_claim_reject(claim=claim, actor=head, reason="")
    claims.nib_claim_reject(claim=claim, actor=head, reason="The NIB is Siti's.")
    with pytest.raises(TransitionRefused) as refused:
        claims.nib_claim_uphold(claim=claim, actor=head, reason="changed my mind")
    assert refused.value.code == "not_allowed"
    assert owners_of(business) == {owner.pk}
    assert [(e.transition, e.actor, e.note) for e in audit(claim)] == [
        ("reject", head, "The NIB is Siti's."),
    ]
    # A rejected claim is closed: the claimant may claim again, once.
    again = claim_by(claimant, business)
    assert again.pk != claim.pk and again.state == NibClaimState.OPEN


def test_claim_state_cannot_be_set_directly(business):
    claim = claim_by(UserFactory(), business)
    with pytest.raises(AttributeError):
        claim.state = NibClaimState.UPHELD
    with pytest.raises(AttributeError):
        business.state = Business.State.FROZEN


# The office's list.


def test_the_list_shows_business_owners_registration_and_claimant(web, clerk, head, owner,
                                                                   business):
    counter_business = BusinessFactory(registered_at_counter_by=clerk, owner=UserFactory())
    claim_by(UserFactory(full_name="Andi Pengaku", email="andi@contoh.id"), business)
    claims.nib_claim_record_at_counter(actor=clerk, business=counter_business,
                                       claimant_email="joko@contoh.id", claimant_name="Joko",
                                       note="KTP")
    for user in (head, clerk):
        web.force_login(user)
        response = web.get(reverse("nib_claim_list"))
        page = response.content.decode()
        assert response.status_code == 200
        assert "PT Usaha Asli" in page and "siti@asli.id" in page and "owner since" in page
        assert "andi@contoh.id" in page and "joko@contoh.id" in page
        assert "Online on" in page
        assert "At the counter by Rina Petugas" in page
        assert "at the counter, by Rina Petugas" in page


@pytest.mark.parametrize("who", ["business", "reviewer"])
def test_business_people_and_reviewers_cannot_see_claims(web, owner, business, who):
    claim = claim_by(UserFactory(), business)
    user = owner if who == "business" else UserFactory(groups=["dinas_kesehatan"])
    web.force_login(user)
    assert web.get(reverse("nib_claim_list")).status_code == 403
    assert web.get(reverse("nib_claim_detail", args=[claim.pk])).status_code == 404
    response = post(web, reverse("nib_claim_act", args=[claim.pk, "reassign"]),
                    {"reason": "mine"})
    assert response.status_code == 404
    # Nor does the claimant see the office's page of their own claim.
    web.force_login(claim.claimant)
    assert web.get(reverse("nib_claim_detail", args=[claim.pk])).status_code == 404
    assert web.get(reverse("nib_claim_received", args=[claim.pk])).status_code == 200
    web.force_login(owner)
    assert web.get(reverse("nib_claim_received", args=[claim.pk])).status_code == 404


def test_the_list_is_paginated_with_open_claims_first(web, head, business):
    decided = claim_by(UserFactory(), business)
    claims.nib_claim_reject(claim=decided, actor=head, reason="no")
    for _ in range(CLAIMS_PER_PAGE):
        claim_by(UserFactory(), business)
    web.force_login(head)
    first = web.get(reverse("nib_claim_list"))
    second = web.get(reverse("nib_claim_list"), {"page": 2})
    assert len(first.context["page"]) == CLAIMS_PER_PAGE
    assert all(c.state == NibClaimState.OPEN for c in first.context["page"])
    assert [c.pk for c in second.context["page"]] == [decided.pk]
    assert "Page 2 of 2" in second.content.decode()
    only_open = web.get(reverse("nib_claim_list"), {"state": "open"})
    assert only_open.context["page"].paginator.count == CLAIMS_PER_PAGE


def test_the_admin_lists_claims_read_only(client, business):
    claim = claim_by(UserFactory(), business)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    changelist = client.get(reverse("admin:licensing_nibclaim_changelist"))
    assert changelist.status_code == 200
    assert claim.claimant_email in changelist.content.decode()
    change = client.get(reverse("admin:licensing_nibclaim_change", args=[claim.pk]))
    assert change.status_code == 200
    assert client.get(reverse("admin:licensing_nibclaim_add")).status_code == 403
    assert client.post(reverse("admin:licensing_nibclaim_delete", args=[claim.pk]),
                       {"post": "yes"}).status_code == 403
    assert NibClaim.objects.filter(pk=claim.pk).exists()
    # A business's freeze shows there, and cannot be changed there.
    page = client.get(reverse("admin:licensing_business_change", args=[business.pk]))
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()

"""The permit pages: a business's own permits, the office's register, and the actions on them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from licensing import permits, roles
from licensing.models import Application, Permit
from licensing.models.permits import P
from tests.documents.permits import issued
from tests.factories import BusinessFactory, GroupFactory, PermitTypeFactory, UserFactory
from tests.portal import in_english, post
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    in_english(client)


@pytest.fixture
def permit(django_capture_on_commit_callbacks):
    return issued(django_capture_on_commit_callbacks)


def owner_of(permit):
    return permit.holder.memberships.get().user


def reviewer():
    """A reviewer: a member of a group some review step names."""
    group = GroupFactory()
    PermitTypeFactory(steps=[group.name])
    return UserFactory(groups=[group.name])


def test_a_business_lists_its_permits_with_state_validity_and_download(client, permit):
    client.force_login(owner_of(permit))
    page = client.get(reverse("permit_list")).content.decode()
    assert permit.number in page and "Active" in page
    assert reverse("permit_download", args=[permit.pk]) in page
    assert client.get(reverse("permit_download", args=[permit.pk])).status_code == 200


def test_a_business_sees_neither_others_permits_nor_the_register(
        client, permit, django_capture_on_commit_callbacks):
    other = issued(django_capture_on_commit_callbacks)
    client.force_login(owner_of(other))
    assert permit.number not in client.get(reverse("permit_list")).content.decode()
    assert client.get(reverse("permit_detail", args=[permit.pk])).status_code == 404
    assert client.get(reverse("permit_register")).status_code == 404
    response = post(client, reverse("permit_act", args=[permit.pk, "surrender"]),
                    {"reason": "x"})
    assert response.status_code == 404
    assert Permit.objects.get(pk=permit.pk).state == P.ACTIVE


@pytest.mark.parametrize("make_user", [
    reviewer,
    lambda: UserFactory(groups=[roles.HEAD_OF_OFFICE]),
    lambda: UserFactory(groups=[roles.ADMINISTRATOR]),
])
def test_office_staff_see_the_register(client, permit, make_user):
    client.force_login(make_user())
    response = client.get(reverse("permit_register"))
    assert response.status_code == 200 and permit.number in response.content.decode()
    assert client.get(reverse("permit_detail", args=[permit.pk])).status_code == 200


def test_register_filters(client, django_capture_on_commit_callbacks):
    head = UserFactory(groups=[roles.HEAD_OF_OFFICE])
    soon, later, suspended = (issued(django_capture_on_commit_callbacks) for _ in range(3))
    Permit.objects.filter(pk=soon.pk).update(valid_until=timezone.localdate() + timedelta(20))
    permits.permit_suspend(permit=suspended, actor=head, reason="x")
    client.force_login(head)

    def shown(**query):
        page = client.get(reverse("permit_register"), query).content.decode()
        return {p.number for p in (soon, later, suspended) if p.number in page}

    assert shown() == {soon.number, later.number, suspended.number}
    assert shown(state="suspended") == {suspended.number}
    assert shown(expiring_within=30) == {soon.number}
    assert shown(q=later.holder.nib) == {later.number}
    assert shown(q=soon.holder.legal_name[:8].lower()) >= {soon.number}
    assert shown(q=suspended.number) == {suspended.number}
    assert shown(permit_type=soon.permit_type.pk) == {soon.number}


def test_head_of_office_suspends_reinstates_and_revokes_through_the_pages(client, permit):
    head = UserFactory(groups=[roles.HEAD_OF_OFFICE])
    client.force_login(head)
    url = reverse("permit_act", args=[permit.pk, "suspend"])
    post(client, url, {"reason": "Site inspection"}, token="t1")
    post(client, url, {"reason": "Site inspection"}, token="t1")  # a double click
    assert Permit.objects.get(pk=permit.pk).state == P.SUSPENDED
    assert TransitionLog.objects.filter(object_id=permit.pk, transition="suspend").count() == 1
    post(client, reverse("permit_act", args=[permit.pk, "reinstate"]))
    assert Permit.objects.get(pk=permit.pk).state == P.ACTIVE
    response = post(client, reverse("permit_act", args=[permit.pk, "revoke"]))
    assert Permit.objects.get(pk=permit.pk).state == P.ACTIVE  # no reason, no revocation
    assert "Give a reason" in client.get(response["Location"]).content.decode()
    post(client, reverse("permit_act", args=[permit.pk, "revoke"]), {"reason": "Fraud"})
    permit = Permit.objects.get(pk=permit.pk)
    assert (permit.state, permit.state_reason) == (P.REVOKED, "Fraud")
    assert "Fraud" in client.get(reverse("permit_detail", args=[permit.pk])).content.decode()


def test_a_reviewer_sees_the_register_but_may_not_suspend(client, permit):
    client.force_login(reviewer())
    response = post(client, reverse("permit_act", args=[permit.pk, "suspend"]), {"reason": "x"})
    assert "You may not do this" in client.get(response["Location"]).content.decode()
    assert Permit.objects.get(pk=permit.pk).state == P.ACTIVE


def test_the_owner_surrenders_its_permit_through_the_page(client, permit):
    client.force_login(owner_of(permit))
    post(client, reverse("permit_act", args=[permit.pk, "surrender"]), {"reason": "Closed"})
    assert Permit.objects.get(pk=permit.pk).state == P.REVOKED


def test_renewal_is_offered_on_the_page_only_within_60_days(client, permit):
    client.force_login(owner_of(permit))
    renew = reverse("permit_act", args=[permit.pk, "renew"])
    assert renew not in client.get(reverse("permit_detail", args=[permit.pk])).content.decode()
    Permit.objects.filter(pk=permit.pk).update(valid_until=timezone.localdate() + timedelta(45))
    assert renew in client.get(reverse("permit_detail", args=[permit.pk])).content.decode()
    response = post(client, renew)
    renewal = Application.objects.get(follows_permit=permit)
    assert response["Location"] == reverse("application_detail", args=[renewal.pk])


def test_amendment_started_from_the_page(client, permit):
    client.force_login(owner_of(permit))
    post(client, reverse("permit_act", args=[permit.pk, "amend"]))
    amendment = Application.objects.get(follows_permit=permit)
    assert amendment.answers == permit.application.answers


def test_unknown_action_is_404(client, permit):
    client.force_login(UserFactory(groups=[roles.HEAD_OF_OFFICE]))
    assert post(client, reverse("permit_act", args=[permit.pk, "delete"])).status_code == 404


def test_a_business_without_permits_is_told_so(client):
    owner = UserFactory()
    BusinessFactory(owner=owner)
    client.force_login(owner)
    assert "No permits issued yet" in client.get(reverse("permit_list")).content.decode()


def test_office_staff_download_any_permit_on_the_register(client, permit):
    client.force_login(UserFactory(groups=[roles.HEAD_OF_OFFICE]))
    assert client.get(reverse("permit_download", args=[permit.pk])).status_code == 200
    client.force_login(UserFactory(groups=[roles.TREASURY_OFFICER]))
    assert client.get(reverse("permit_download", args=[permit.pk])).status_code == 404


def test_a_follow_up_application_links_to_its_permit(client, permit):
    owner = owner_of(permit)
    amendment = permits.permit_amend(permit=permit, actor=owner)
    client.force_login(owner)
    page = client.get(reverse("application_detail", args=[amendment.pk])).content.decode()
    assert reverse("permit_detail", args=[permit.pk]) in page and "Amendment" in page
    page = client.get(reverse("application_detail", args=[permit.application_id])).content
    assert reverse("permit_detail", args=[permit.pk]) in page.decode()

"""Object-level access on every object URL of the portal: another business's people get 404 and
nothing changes; anonymous visitors are sent to log in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Attachment
from licensing.models import Application, BusinessInvitation, BusinessMembership, FormSubmission
from tests.factories import BusinessFactory, PermitTypeFactory, RequiredDocumentFactory, UserFactory
from tests.lifecycle import complete, draft, pdf_bytes
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    permit_type = PermitTypeFactory()
    requirement = RequiredDocumentFactory(permit_type=permit_type)
    application, owner = draft(permit_type=permit_type)
    complete(application, owner)
    invitation = BusinessInvitation.objects.create(
        business=application.business, email="invited@example.id", invited_by=owner
    )
    intruder = UserFactory()
    BusinessFactory(owner=intruder)
    return {
        "application": application,
        "requirement": requirement,
        "attachment": application.attachments.get(),
        "invitation": invitation,
        "intruder": intruder,
    }


def _requests(world):
    app = world["application"].pk
    file = SimpleUploadedFile("x.pdf", pdf_bytes())
    return [
        ("get", reverse("application_detail", args=[app]), {}),
        ("get", reverse("application_edit", args=[app]), {}),
        ("post", reverse("application_edit", args=[app]), {}),
        ("post", reverse("application_submit", args=[app]), {}),
        ("post", reverse("application_resubmit", args=[app]), {}),
        ("post", reverse("application_withdraw", args=[app]), {}),
        ("post", reverse("attachment_upload", args=[app, world["requirement"].pk]),
         {"file": file}),
        ("get", reverse("attachment_download", args=[world["attachment"].pk]), {}),
        ("get", reverse("business_detail", args=[world["application"].business_id]), {}),
        ("post", reverse("business_detail", args=[world["application"].business_id]),
         {"email": "friend@example.id"}),
        ("get", reverse("invitation_accept", args=[world["invitation"].token]), {}),
        ("post", reverse("invitation_accept", args=[world["invitation"].token]), {}),
    ]


def _snapshot(application):
    application.refresh_from_db()
    return (
        application.state,
        application.answers,
        Attachment.objects.count(),
        TransitionLog.objects.count(),
        BusinessMembership.objects.count(),
        BusinessInvitation.objects.filter(accepted_at__isnull=True).count(),
        Application.objects.count(),
    )


INDEXES = range(12)


@pytest.mark.parametrize("index", INDEXES)
def test_another_business_gets_404_and_nothing_changes(client, world, index):
    method, url, data = _requests(world)[index]
    before = _snapshot(world["application"])
    client.force_login(world["intruder"])
    response = getattr(client, method)(url, {"form_token": f"t{index}", **data})
    assert response.status_code == 404
    assert _snapshot(world["application"]) == before
    assert not FormSubmission.objects.exists()  # the request's work was rolled back


@pytest.mark.parametrize("index", INDEXES)
def test_anonymous_visitors_are_sent_to_log_in(client, world, index):
    method, url, data = _requests(world)[index]
    before = _snapshot(world["application"])
    response = getattr(client, method)(url, {"form_token": f"t{index}", **data})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert _snapshot(world["application"]) == before


def test_a_requirement_of_another_permit_type_is_404(client, world):
    application = world["application"]
    foreign = RequiredDocumentFactory(permit_type=PermitTypeFactory())
    client.force_login(application.business.memberships.get().user)
    response = client.post(reverse("attachment_upload", args=[application.pk, foreign.pk]),
                           {"form_token": "x", "file": SimpleUploadedFile("x.pdf", pdf_bytes())})
    assert response.status_code == 404
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize("name", ["dashboard", "business_register", "counter_intake"])
def test_portal_pages_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response["Location"].startswith(reverse("login"))

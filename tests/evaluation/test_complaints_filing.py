"""Filing a complaint: a business about one of its applications, anyone anonymously about the
service. Each gets a reference and reaches every head of office."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluation.complaints import complaint_file, complaint_file_anonymous
from evaluation.models import Complaint
from evaluation.states import ComplaintState, ComplaintTopic
from licensing import roles
from notifications.models import Delivery, DeliveryChannel, Notification
from tests.evaluation.feedback_support import rejected_application
from tests.factories import BusinessFactory, PermitTypeFactory, UserFactory
from tests.lifecycle import draft
from tests.portal import in_english
from tests.workflows.support import form_post
from workflows.machine import TransitionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def heads():
    return [UserFactory(groups=[roles.HEAD_OF_OFFICE]),
            UserFactory(groups=[roles.HEAD_OF_OFFICE]),
            UserFactory(groups=[roles.HEAD_OF_OFFICE], is_active=False)]


def test_a_business_complains_about_its_application_and_every_active_head_hears(heads):
    application, owner = rejected_application()
    year = timezone.localdate().year

    first = complaint_file(application=application, actor=owner, body="  Alasan tidak jelas. ")
    second = complaint_file_anonymous(body="Antrean loket terlalu lama.")

    assert first.reference == f"ADU-{year}-000001"
    assert second.reference == f"ADU-{year}-000002"
    assert (first.topic, first.application, first.submitted_by, first.body, first.state) == (
        ComplaintTopic.APPLICATION, application, owner, "Alasan tidak jelas.",
        ComplaintState.RECEIVED)
    told = Notification.objects.filter(kind="complaint.received",
                                       event_key=f"complaint:{first.pk}:received")
    assert {n.recipient_id for n in told} == {heads[0].pk, heads[1].pk}
    assert all(n.url == f"/feedback/complaints/{first.pk}/" for n in told)
    # Staff always get e-mail.
    assert Delivery.objects.filter(notification__in=told,
                                   channel=DeliveryChannel.EMAIL).count() == 2


def test_nobody_complains_about_another_businesss_application_or_a_draft():
    application, _owner = rejected_application()
    stranger = UserFactory()
    BusinessFactory(owner=stranger)
    with pytest.raises(TransitionRefused):
        complaint_file(application=application, actor=stranger, body="x")
    unsent, owner = draft(permit_type=PermitTypeFactory())
    with pytest.raises(TransitionRefused):
        complaint_file(application=unsent, actor=owner, body="x")
    assert not Complaint.objects.exists()


def test_the_form_offers_only_the_members_own_applications(client):
    mine, owner = rejected_application()
    theirs, _other = rejected_application()
    client.force_login(owner)
    url = reverse("feedback:complaint_new")
    page = in_english(client).get(url, {"application": mine.pk})
    html = page.content.decode()
    assert mine.reference in html and theirs.reference not in html

    refused = form_post(client, url, {"application": theirs.pk, "body": "x"})
    assert refused.status_code == 200
    assert not Complaint.objects.exists()

    sent = form_post(client, url, {"application": mine.pk, "body": "Mohon penjelasan."})
    assert sent.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.application == mine
    received = client.get(sent["Location"])
    assert complaint.reference in received.content.decode()


def test_an_anonymous_complaint_keeps_nobody_even_when_signed_in(client):
    person = UserFactory(full_name="Budi Santoso")
    client.force_login(person)
    sent = form_post(in_english(client), reverse("feedback:complaint_anonymous"),
                     {"body": "Situs lambat."})
    assert sent.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.topic, complaint.submitted_by, complaint.application) == (
        ComplaintTopic.SERVICE, None, None)
    assert complaint.reference in client.get(sent["Location"]).content.decode()


def test_anyone_may_complain_anonymously_within_a_limit_per_address(client):
    url = reverse("feedback:complaint_anonymous")
    assert client.get(url).status_code == 200
    for number in range(5):
        assert form_post(client, url, {"body": f"Keluhan {number}"}).status_code == 302
    limited = form_post(client, url, {"body": "Keluhan lagi"})
    assert limited.status_code == 429
    assert limited["Retry-After"] == "3600"
    assert Complaint.objects.count() == 5


def test_the_body_is_bounded_and_required(client):
    url = reverse("feedback:complaint_anonymous")
    too_long = form_post(in_english(client), url, {"body": "x" * 4001})
    assert too_long.status_code == 200
    assert "at most 4000 characters" in too_long.content.decode()
    assert form_post(client, url, {"body": "   "}).status_code == 200
    assert not Complaint.objects.exists()
    with pytest.raises(ValidationError, match="4000"):
        complaint_file_anonymous(body="x" * 4001)

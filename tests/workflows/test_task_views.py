"""The task page and the actions on it, through the web views. Every refusal is a message and a
redirect, never an error page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from licensing.models import Application, BusinessMembership, MemberRole
from licensing.states import ApplicationState as S
from tests.factories import (
    FormFieldFactory,
    PermitTypeFactory,
    RequiredDocumentFactory,
    UserFactory,
)
from tests.lifecycle import Upload, png_bytes, submitted
from tests.workflows.support import form_post, pending_task
from workflows import services as review
from workflows.models import ReviewTask
from workflows.selectors import application_conditions
from workflows.states import StepKind, TaskState

pytestmark = pytest.mark.django_db


def _state(application) -> str:
    return Application.objects.get(pk=application.pk).state


def _follow_messages(client, response) -> str:
    """The page a refused action redirects to, as the reviewer sees it."""
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


@pytest.fixture
def reviewed():
    """An application in review at agency_a's step, with an answer and a document."""
    permit_type = PermitTypeFactory(steps=["agency_a", "agency_b"])
    FormFieldFactory(permit_type=permit_type, key="floor_area", label_en="Floor area",
                     label_id="Luas lantai", kind="number", unit="m²")
    RequiredDocumentFactory(permit_type=permit_type, name_en="Site plan", name_id="Gambar denah")
    application, _owner = submitted(permit_type=permit_type, answers={"floor_area": 120})
    return application, pending_task(application, "agency_a")


def test_the_task_page_shows_answers_documents_and_earlier_decisions(client, reviewed):
    application, first = reviewed
    review.task_decide(task=first, actor=UserFactory(groups=["agency_a"]), decision="approve",
                       message="Berkas lengkap", conditions="Pasang rambu evakuasi")
    task = pending_task(application, "agency_b")
    client.force_login(UserFactory(groups=["agency_b"]))

    response = client.get(reverse("task_detail", args=[task.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Floor area" in html and "120 m²" in html
    attachment = application.attachments.get()
    assert reverse("attachment_download", args=[attachment.pk]) in html
    assert "Site plan" in html
    decisions = list(response.context["decisions"])
    assert [(d.step.position, d.group.name, d.state) for d in decisions] == [
        (1, "agency_a", TaskState.APPROVED)
    ]
    assert "Berkas lengkap" in html and "Pasang rambu evakuasi" in html
    assert response.context["decision_form"] is not None


def test_claim_and_release_through_the_pages(client, reviewed):
    _application, task = reviewed
    reviewer = UserFactory(groups=["agency_a"])
    client.force_login(reviewer)

    response = form_post(client, reverse("task_claim", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.state, task.assignee) == (TaskState.CLAIMED, reviewer)

    response = form_post(client, reverse("task_release", args=[task.pk]))
    assert response["Location"] == reverse("inbox")
    task.refresh_from_db()
    assert (task.state, task.assignee) == (TaskState.OPEN, None)


def test_a_task_claimed_by_someone_else_is_refused_with_a_message(client, reviewed):
    _application, task = reviewed
    review.task_claim(task=task, actor=UserFactory(groups=["agency_a"], full_name="Budi Santoso"))
    client.force_login(UserFactory(groups=["agency_a"]))

    for name, data in [("task_claim", {}), ("task_decide", {"decision": "approve"})]:
        response = form_post(client, reverse(name, args=[task.pk]), data)
        page = _follow_messages(client, response)
        assert "Budi Santoso" in page
    task.refresh_from_db()
    assert task.state == TaskState.CLAIMED


def test_approve_with_conditions_through_the_page(client, reviewed):
    application, task = reviewed
    client.force_login(UserFactory(groups=["agency_a"]))
    response = form_post(client, reverse("task_decide", args=[task.pk]),
                         {"decision": "approve", "conditions": "Tidak berjualan di trotoar"})
    assert response["Location"] == reverse("inbox")
    task.refresh_from_db()
    assert task.state == TaskState.APPROVED
    assert [c.text for c in application_conditions(application)] == ["Tidak berjualan di trotoar"]


def test_request_changes_with_documents_to_replace_through_the_page(client, reviewed):
    application, task = reviewed
    site_plan = application.permit_type.required_documents.get()
    client.force_login(UserFactory(groups=["agency_a"]))
    page = client.get(reverse("task_detail", args=[task.pk])).content.decode()
    assert f'name="documents_to_replace" value="{site_plan.pk}"' in page

    form_post(client, reverse("task_decide", args=[task.pk]),
              {"decision": "request_changes", "message": "Denah buram",
               "documents_to_replace": [site_plan.pk]})

    assert _state(application) == S.CHANGES_REQUESTED
    assert list(application.latest_change_request().documents_to_replace.all()) == [site_plan]


def test_reject_without_a_reason_is_a_message_not_an_error(client, reviewed):
    application, task = reviewed
    client.force_login(UserFactory(groups=["agency_a"]))
    response = form_post(client, reverse("task_decide", args=[task.pk]),
                         {"decision": "reject", "message": ""})
    assert response["Location"] == reverse("task_detail", args=[task.pk])
    assert "Give the reason for your decision." in _follow_messages(client, response)
    assert _state(application) == S.IN_REVIEW

    form_post(client, reverse("task_decide", args=[task.pk]),
              {"decision": "reject", "message": "Lokasi di kawasan lindung"})
    assert _state(application) == S.REJECTED


def test_a_decision_on_a_decided_task_is_a_message(client, reviewed):
    _application, task = reviewed
    review.task_decide(task=task, actor=UserFactory(groups=["agency_a"], full_name="Dewi Lestari"),
                       decision="approve")
    client.force_login(UserFactory(groups=["agency_a"]))
    response = form_post(client, reverse("task_decide", args=[task.pk]),
                         {"decision": "reject", "message": "Terlambat"})
    page = _follow_messages(client, response)
    assert "already decided by Dewi Lestari" in page
    task.refresh_from_db()
    assert task.state == TaskState.APPROVED


def test_four_eyes_refusals_are_messages(client, reviewed):
    application, task = reviewed
    insider = UserFactory(groups=["agency_a"])
    BusinessMembership.objects.create(business=application.business, user=insider,
                                      role=MemberRole.STAFF)
    client.force_login(insider)

    page = client.get(reverse("task_detail", args=[task.pk]))
    assert page.status_code == 200
    assert "decision_form" not in page.context
    response = form_post(client, reverse("task_decide", args=[task.pk]), {"decision": "approve"})
    assert "You act for this business" in _follow_messages(client, response)
    assert _state(application) == S.IN_REVIEW


def test_an_unknown_decision_is_a_message(client, reviewed):
    application, task = reviewed
    client.force_login(UserFactory(groups=["agency_a"]))
    response = form_post(client, reverse("task_decide", args=[task.pk]), {"decision": "maybe"})
    assert response.status_code == 302
    assert _state(application) == S.IN_REVIEW


def test_the_same_form_sent_twice_decides_once(client, reviewed):
    _application, task = reviewed
    client.force_login(UserFactory(groups=["agency_a"]))
    data = {"form_token": "one-token", "decision": "approve"}
    url = reverse("task_decide", args=[task.pk])
    first = client.post(url, data)
    second = client.post(url, data)
    assert second["Location"] == first["Location"]
    assert ReviewTask.objects.filter(pk=task.pk, state=TaskState.APPROVED).count() == 1
    assert task.application.audit_entries.filter(transition="approve").count() == 1


def test_an_action_url_opened_with_get_leads_back_to_the_task(client, reviewed):
    _application, task = reviewed
    client.force_login(UserFactory(groups=["agency_a"]))
    response = client.get(reverse("task_decide", args=[task.pk]))
    assert response["Location"] == reverse("task_detail", args=[task.pk])
    task.refresh_from_db()
    assert task.state == TaskState.OPEN


# Site inspections through the page.


@pytest.fixture
def inspection():
    permit_type = PermitTypeFactory(steps=["inspectors"])
    permit_type.review_steps.update(kind=StepKind.INSPECTION,
                                    checklist=[{"id": "APAR tersedia", "en": "Fire extinguisher"}])
    application, _owner = submitted(permit_type=permit_type)
    return application, pending_task(application, "inspectors")


def test_an_inspection_is_scheduled_recorded_and_approved_through_the_page(client, inspection):
    application, task = inspection
    client.force_login(UserFactory(groups=["inspectors"]))
    url = reverse("task_inspection", args=[task.pk])

    response = form_post(client, reverse("task_decide", args=[task.pk]), {"decision": "approve"})
    assert "Schedule the inspection" in _follow_messages(client, response)

    when = timezone.localtime() + timedelta(days=2)
    form_post(client, url, {"action": "schedule",
                            "inspection_at": when.strftime("%Y-%m-%dT%H:%M")})
    task.refresh_from_db()
    assert timezone.localtime(task.inspection_at).strftime("%Y-%m-%d %H:%M") == when.strftime(
        "%Y-%m-%d %H:%M"
    )

    page = client.get(reverse("task_detail", args=[task.pk])).content.decode()
    assert "Fire extinguisher" in page
    response = form_post(client, url, {"action": "record", "findings": "Baik"})
    assert response.status_code == 302  # the checklist item was not answered
    task.refresh_from_db()
    assert task.findings == ""

    form_post(client, url, {"action": "record", "item_0": "complies", "findings": "APAR ada."})
    task.refresh_from_db()
    assert task.checklist_results == {"APAR tersedia": "complies"}

    response = form_post(client, reverse("inspection_photo_upload", args=[task.pk]),
                         {"photo": Upload(png_bytes(), "apar.png")})
    assert response.status_code == 302
    assert task.photos.count() == 1

    form_post(client, reverse("task_decide", args=[task.pk]), {"decision": "approve"})
    assert _state(application) == S.APPROVED

    record = client.get(reverse("task_detail", args=[task.pk])).content.decode()
    assert "APAR ada." in record and "Complies" in record
    assert reverse("attachment_download", args=[task.photos.get().pk]) in record
    assert 'name="action"' not in record and 'name="decision"' not in record


def test_a_non_image_photo_is_refused_with_a_message(client, inspection):
    _application, task = inspection
    client.force_login(UserFactory(groups=["inspectors"]))
    response = form_post(client, reverse("inspection_photo_upload", args=[task.pk]),
                         {"photo": Upload(b"#!/bin/sh\nrm -rf /\n", "foto.png")})
    assert "not a real PDF, JPEG or PNG" in _follow_messages(client, response)
    assert not task.photos.exists()

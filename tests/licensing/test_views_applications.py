from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats, timezone, translation

from documents.models import Attachment
from licensing.models import Application, BusinessMembership, MemberRole
from licensing.states import ApplicationState as S
from tests.factories import (
    BusinessFactory,
    PermitTypeFactory,
    RequiredDocumentFactory,
    UserFactory,
)
from tests.lifecycle import complete, draft, pdf_bytes, submitted
from tests.portal import COMPLETE_ANSWERS, in_english, permit_type_with_form, post
from workflows import services as review
from workflows.models import ReviewStep, TransitionLog
from workflows.states import Decision, StepKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    in_english(client)


def _upload(client, application, requirement, content=None, name="letter.pdf"):
    return post(
        client, reverse("attachment_upload", args=[application.pk, requirement.pk]),
        {"file": SimpleUploadedFile(name, content or pdf_bytes(name))},
    )


# Starting.


def test_start_an_application_for_one_of_my_businesses(client):
    owner = UserFactory()
    first, second = BusinessFactory(owner=owner), BusinessFactory(owner=owner)
    other = BusinessFactory(owner=UserFactory())
    permit_type = PermitTypeFactory()
    client.force_login(owner)
    url = reverse("application_start", args=[permit_type.code])
    page = client.get(url).content.decode()
    assert first.legal_name in page and second.legal_name in page
    assert other.legal_name not in page

    response = post(client, url, {"business": second.pk})
    application = Application.objects.get()
    assert response["Location"] == reverse("application_edit", args=[application.pk])
    assert (application.business, application.created_by) == (second, owner)
    assert application.state == S.DRAFT
    assert not application.filed_at_counter


def test_one_may_not_apply_for_someone_elses_business(client):
    owner = UserFactory()
    BusinessFactory(owner=owner)
    other = BusinessFactory(owner=UserFactory())
    client.force_login(owner)
    url = reverse("application_start", args=[PermitTypeFactory().code])
    response = post(client, url, {"business": other.pk})
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_double_submit_starts_one_application(client):
    owner = UserFactory()
    business = BusinessFactory(owner=owner)
    client.force_login(owner)
    url = reverse("application_start", args=[PermitTypeFactory().code])
    first = post(client, url, {"business": business.pk}, token="once")
    second = post(client, url, {"business": business.pk}, token="once")
    assert Application.objects.count() == 1
    assert second["Location"] == first["Location"]


def test_without_a_business_one_registers_first(client):
    client.force_login(UserFactory())
    url = reverse("application_start", args=[PermitTypeFactory().code])
    response = client.get(url)
    assert response["Location"].startswith(reverse("business_register"))
    assert "next=" in response["Location"]


# Filling in.


def test_the_form_is_built_from_the_permit_types_fields_and_saves_a_draft(client):
    application, owner = draft(permit_type=permit_type_with_form())
    client.force_login(owner)
    url = reverse("application_edit", args=[application.pk])
    page = client.get(url).content.decode()
    for label in ("Activity", "Floor area", "m²", "Opening date", "Shop", "Site address"):
        assert label in page
    assert 'type="date"' in page

    response = post(client, url, {
        **COMPLETE_ANSWERS,
        "site_0": "Jl. Riau No. 5", "site_1": "Padang Terubuk", "site_2": "senapelan",
    })
    assert response["Location"] == reverse("application_detail", args=[application.pk])
    application.refresh_from_db()
    assert application.answers == {
        "activity": "Rumah makan",
        "floor_area": 120.5,
        "opening_date": "2026-09-01",
        "building_use": "shop",
        "site": {"street": "Jl. Riau No. 5", "kelurahan": "Padang Terubuk",
                 "kecamatan": "senapelan"},
    }
    page = client.get(url).content.decode()
    assert 'value="120.50"' in page or 'value="120.5"' in page
    detail = client.get(response["Location"]).content.decode()
    assert "120.5 m²" in detail and "1 September 2026" in detail and "Senapelan" in detail


def test_a_partly_filled_draft_is_saved(client):
    application, owner = draft(permit_type=permit_type_with_form())
    client.force_login(owner)
    post(client, reverse("application_edit", args=[application.pk]), {"activity": "Kafe"})
    application.refresh_from_db()
    assert application.answers == {"activity": "Kafe"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"floor_area": "0"}, "greater than or equal to 1"),
        ({"floor_area": "20000"}, "less than or equal to 10000"),
        ({"opening_date": "31-31-2026"}, "Enter a valid date"),
        ({"building_use": "castle"}, "Select a valid choice"),
        ({"site_0": "Jl. Riau No. 5"}, "Enter the street, kelurahan and kecamatan."),
    ],
)
def test_bad_answers_are_refused_and_nothing_changes(client, data, message):
    application, owner = draft(permit_type=permit_type_with_form())
    client.force_login(owner)
    response = post(client, reverse("application_edit", args=[application.pk]),
                    {**COMPLETE_ANSWERS, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    application.refresh_from_db()
    assert application.answers == {}


# Submitting.


def test_submitting_an_incomplete_application_lists_what_is_missing(client):
    application, owner = draft(permit_type=permit_type_with_form(steps=["agency_a"]))
    client.force_login(owner)
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "Still missing" in page and "Application letter" in page and "Floor area" in page

    response = post(client, reverse("application_submit", args=[application.pk]), follow=True)
    text = response.content.decode()
    assert "Complete the application first. Missing:" in text
    assert "Application letter" in text and "Opening date" in text
    application.refresh_from_db()
    assert application.state == S.DRAFT


def test_submit_only_by_post(client):
    application, owner = draft(permit_type=PermitTypeFactory())
    client.force_login(owner)
    assert client.get(reverse("application_submit", args=[application.pk])).status_code == 405


def test_full_walk_from_draft_to_approved_through_the_web(client):
    permit_type = permit_type_with_form(steps=["dinas_pupr"])
    owner = UserFactory()
    business = BusinessFactory(owner=owner)
    client.force_login(owner)
    post(client, reverse("application_start", args=[permit_type.code]), {"business": business.pk})
    application = Application.objects.get()
    post(client, reverse("application_edit", args=[application.pk]), COMPLETE_ANSWERS)
    letter = permit_type.required_documents.get()
    _upload(client, application, letter)

    response = post(client, reverse("application_submit", args=[application.pk]), follow=True)
    assert "is submitted" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW
    task = application.review_tasks.get()
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "Step 1" in page and "dinas_pupr" in page
    with translation.override("en"):
        due = formats.date_format(timezone.localtime(task.due_at), "j F Y")
    assert "due " + due in " ".join(page.split())
    assert "Submitted" in page and "In review" in page
    assert 'action="' + reverse("application_submit", args=[application.pk]) not in page
    assert 'type="file"' not in page

    # The reviewer asks for a new letter.
    reviewer = UserFactory(groups=["dinas_pupr"])
    review.task_decide(task=task, actor=reviewer, decision=Decision.REQUEST_CHANGES,
                       message="Tanda tangan belum ada.", documents_to_replace=[letter])
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "The office asks for changes" in page
    assert "Tanda tangan belum ada." in page
    assert "still needed" in page
    assert "changes requested: the step is reviewed again" in page
    assert reviewer.full_name not in page  # applicants see the office, not its officers

    response = post(client, reverse("application_resubmit", args=[application.pk]), follow=True)
    assert "Upload a new version of every document" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.CHANGES_REQUESTED

    _upload(client, application, letter, name="letter-signed.pdf")
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "new version uploaded" in page
    assert "Current version 2" in page and "letter-signed.pdf" in page
    assert "Earlier versions" in page and "letter.pdf" in page
    assert Attachment.objects.filter(application=application).count() == 2

    post(client, reverse("application_resubmit", args=[application.pk]),
         {"note": "Sudah ditandatangani."})
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW
    assert TransitionLog.objects.filter(application=application, transition="resubmit",
                                        note="Sudah ditandatangani.").exists()

    second_reviewer = UserFactory(groups=["dinas_pupr"])
    review.task_decide(task=application.review_tasks.get(is_current=True),
                       actor=second_reviewer, decision=Decision.APPROVE)
    application.refresh_from_db()
    assert application.state == S.APPROVED
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "Approved" in page and "approved" in page


def test_timeline_shows_every_step_with_dates_and_inspection(client):
    permit_type = PermitTypeFactory(steps=["satpol_pp"])
    ReviewStep.objects.filter(permit_type=permit_type).update(kind=StepKind.INSPECTION)
    application, owner = submitted(permit_type=permit_type)
    task = application.review_tasks.get()
    inspector = UserFactory(groups=["satpol_pp"])
    review.task_claim(task=task, actor=inspector)
    when = timezone.now() + timedelta(days=3)
    review.task_schedule_inspection(task=task, actor=inspector, at=when)
    client.force_login(owner)
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "site inspection on" in page
    assert timezone.localtime(when).strftime("%H:%M") in page
    # The business reads its story; the office's own work stays the office's.
    assert "The licensing office started reviewing: Step 1" in page
    assert "taken up by a reviewer" not in page
    assert "You started the application" in page

    client.force_login(inspector)
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "review opened, due" in page
    assert "taken up by a reviewer" in page
    assert "Application started" in page


def test_withdraw(client):
    application, owner = draft(permit_type=PermitTypeFactory())
    client.force_login(owner)
    response = post(client, reverse("application_withdraw", args=[application.pk]),
                    {"note": "Batal buka usaha."}, follow=True)
    assert "is withdrawn" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
    response = post(client, reverse("application_withdraw", args=[application.pk]), follow=True)
    assert "This action is not possible now" in response.content.decode()


def test_staff_invited_to_the_business_may_act_for_it(client):
    application, _owner = draft(permit_type=PermitTypeFactory())
    staff = UserFactory()
    BusinessMembership.objects.create(business=application.business, user=staff,
                                      role=MemberRole.STAFF)
    client.force_login(staff)
    post(client, reverse("application_submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == S.APPROVED  # no steps, no documents: approved on submission


def test_a_reviewer_holding_a_task_reads_the_application_but_changes_nothing(client):
    permit_type = PermitTypeFactory(steps=["dinas_kesehatan"])
    RequiredDocumentFactory(permit_type=permit_type)
    application, _owner = submitted(permit_type=permit_type)
    attachment = application.attachments.get()
    reviewer = UserFactory(groups=["dinas_kesehatan"])
    client.force_login(reviewer)
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert application.reference in page
    assert 'type="file"' not in page and "Withdraw" not in page
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 200

    response = post(client, reverse("application_withdraw", args=[application.pk]), follow=True)
    assert "You may not do this." in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW

    stranger = UserFactory(groups=["dinas_pupr"])
    client.force_login(stranger)
    assert client.get(reverse("application_detail", args=[application.pk])).status_code == 404
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404


def test_dashboard_lists_my_applications(client):
    application, owner = draft(permit_type=PermitTypeFactory())
    complete(application, owner)
    theirs, _ = draft(permit_type=PermitTypeFactory())
    client.force_login(owner)
    page = client.get(reverse("dashboard")).content.decode()
    assert application.reference in page
    assert theirs.reference not in page

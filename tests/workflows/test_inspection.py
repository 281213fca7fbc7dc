"""Site inspections: scheduled with the business, a checklist and findings before approval,
photos that are real images."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from documents.services import inspection_photo_upload
from documents.uploads import UploadRefused
from licensing.states import ApplicationState as S
from tests.factories import PermitTypeFactory, UserFactory
from tests.lifecycle import Upload, jpeg_bytes, pdf_bytes, png_bytes, submitted
from tests.workflows.support import pending_task
from workflows import services as review
from workflows.machine import TransitionRefused
from workflows.models import ReviewStep
from workflows.states import StepKind

pytestmark = pytest.mark.django_db

CHECKLIST = [
    {"id": "Ventilasi dapur memadai", "en": "Kitchen ventilation is adequate"},
    {"id": "Tersedia air bersih", "en": "Clean water is available"},
]
ALL_COMPLY = {item["id"]: "complies" for item in CHECKLIST}


@pytest.fixture
def inspection():
    """An application at a site-inspection step, and a reviewer of that step."""
    permit_type = PermitTypeFactory(steps=["inspectors"])
    permit_type.review_steps.update(kind=StepKind.INSPECTION, checklist=CHECKLIST)
    application, owner = submitted(permit_type=permit_type)
    return pending_task(application, "inspectors"), UserFactory(groups=["inspectors"]), owner


def _tomorrow():
    return timezone.now() + timedelta(days=1)


def _approve(task, actor):
    return review.task_decide(task=task, actor=actor, decision="approve")


def test_approval_is_refused_until_scheduled_and_findings_recorded(inspection):
    task, inspector, _owner = inspection
    with pytest.raises(TransitionRefused) as refused:
        _approve(task, inspector)
    assert refused.value.code == "inspection_incomplete"

    review.task_schedule_inspection(task=task, actor=inspector, at=_tomorrow())
    with pytest.raises(TransitionRefused) as refused:
        _approve(task, inspector)
    assert refused.value.code == "inspection_incomplete"

    review.task_record_inspection(task=task, actor=inspector, checklist_results=ALL_COMPLY,
                                  findings="Dapur bersih, ventilasi baik.")
    _approve(task, inspector)
    task.refresh_from_db()
    assert task.application.state == S.APPROVED
    assert task.checklist_results == ALL_COMPLY
    assert task.findings == "Dapur bersih, ventilasi baik."


def test_findings_need_a_schedule_first(inspection):
    task, inspector, _owner = inspection
    with pytest.raises(TransitionRefused) as refused:
        review.task_record_inspection(task=task, actor=inspector, checklist_results=ALL_COMPLY,
                                      findings="Baik")
    assert refused.value.code == "inspection_incomplete"


@pytest.mark.parametrize(
    ("results", "findings", "code"),
    [
        (ALL_COMPLY, "   ", "findings_required"),
        ({CHECKLIST[0]["id"]: "complies"}, "Baik", "checklist_incomplete"),
        ({**ALL_COMPLY, "Not on the list": "complies"}, "Baik", "checklist_incomplete"),
        ({**ALL_COMPLY, CHECKLIST[1]["id"]: "maybe"}, "Baik", "checklist_incomplete"),
    ],
)
def test_every_checklist_item_needs_a_result_and_findings_are_required(
    inspection, results, findings, code
):
    task, inspector, _owner = inspection
    review.task_schedule_inspection(task=task, actor=inspector, at=_tomorrow())
    with pytest.raises(TransitionRefused) as refused:
        review.task_record_inspection(task=task, actor=inspector, checklist_results=results,
                                      findings=findings)
    assert refused.value.code == code
    task.refresh_from_db()
    assert (task.checklist_results, task.findings) == ({}, "")


def test_an_inspection_cannot_be_scheduled_in_the_past(inspection):
    task, inspector, _owner = inspection
    with pytest.raises(TransitionRefused):
        review.task_schedule_inspection(task=task, actor=inspector,
                                        at=timezone.now() - timedelta(hours=1))
    task.refresh_from_db()
    assert task.inspection_at is None


def test_the_business_is_told_the_inspection_date_after_commit(
    inspection, mailoutbox, django_capture_on_commit_callbacks
):
    task, inspector, owner = inspection
    with django_capture_on_commit_callbacks(execute=True):
        review.task_schedule_inspection(task=task, actor=inspector, at=_tomorrow())
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert task.application.reference in mailoutbox[0].subject


def test_the_task_page_says_when_the_inspection_is_in_one_sentence(inspection, client):
    task, inspector, _owner = inspection
    client.force_login(inspector)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    url = reverse("task_detail", args=[task.pk])
    assert "Peninjauan lapangan belum dijadwalkan." in client.get(url).content.decode()
    review.task_claim(task=task, actor=inspector)
    when = _tomorrow()
    review.task_schedule_inspection(task=task, actor=inspector, at=when)
    with translation.override("id"):
        written = date_format(timezone.localtime(when), "j F Y H:i")
    assert f"Dijadwalkan pada: {written}" in client.get(url).content.decode()


def test_scheduling_is_only_for_inspection_steps():
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type)
    with pytest.raises(TransitionRefused) as refused:
        review.task_schedule_inspection(task=pending_task(application, "agency_a"),
                                        actor=UserFactory(groups=["agency_a"]), at=_tomorrow())
    assert refused.value.code == "not_inspection"


@pytest.mark.parametrize(("content", "name"), [(png_bytes(), "depan.png"),
                                               (jpeg_bytes(), "dapur.jpg")])
def test_photos_in_jpeg_or_png_are_stored(inspection, content, name):
    task, inspector, _owner = inspection
    photo = inspection_photo_upload(task=task, actor=inspector, uploaded_file=Upload(content, name))
    assert list(task.photos.all()) == [photo]
    assert photo.original_name == name


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (pdf_bytes(), "laporan.pdf"),
        (b"MZ\x90\x00 not an image at all", "foto.jpg"),
        (b"\x89PNG\r\n\x1a\n but broken", "rusak.png"),
        (b"", "kosong.png"),
    ],
)
def test_photo_upload_refuses_what_is_not_an_image(inspection, content, name):
    task, inspector, _owner = inspection
    with pytest.raises(UploadRefused):
        inspection_photo_upload(task=task, actor=inspector, uploaded_file=Upload(content, name))
    assert not task.photos.exists()


def test_photos_cannot_be_added_to_a_decided_inspection(inspection):
    task, inspector, _owner = inspection
    review.task_schedule_inspection(task=task, actor=inspector, at=_tomorrow())
    review.task_record_inspection(task=task, actor=inspector, checklist_results=ALL_COMPLY,
                                  findings="Baik")
    _approve(task, inspector)
    with pytest.raises(TransitionRefused) as refused:
        inspection_photo_upload(task=task, actor=inspector,
                                uploaded_file=Upload(png_bytes(), "telat.png"))
    assert refused.value.code == "already_decided"
    assert not task.photos.exists()


def test_only_the_claiming_inspector_works_on_a_claimed_inspection(inspection):
    task, inspector, _owner = inspection
    review.task_claim(task=task, actor=inspector)
    other = UserFactory(groups=["inspectors"])
    for act, kwargs in [
        (review.task_schedule_inspection, {"at": _tomorrow()}),
        (inspection_photo_upload, {"uploaded_file": Upload(png_bytes(), "x.png")}),
    ]:
        with pytest.raises(TransitionRefused) as refused:
            act(task=task, actor=other, **kwargs)
        assert refused.value.code == "claimed"


@pytest.mark.parametrize(
    "checklist",
    ["not a list", [{"en": "no Indonesian text"}], [{"id": " "}], ["Sama", {"id": "Sama"}]],
)
def test_the_admin_cannot_save_a_malformed_checklist(checklist):
    step = ReviewStep(permit_type=PermitTypeFactory(), position=1, name_id="Cek lapangan",
                      name_en="Site check", kind=StepKind.INSPECTION, sla_working_days=5,
                      checklist=checklist)
    with pytest.raises(ValidationError) as invalid:
        step.full_clean()
    assert "checklist" in invalid.value.message_dict

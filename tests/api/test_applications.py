"""A business's own system files its applications through the API, as its people would on the
page: the same rules, the same audit trail (naming the key), and nothing of another business."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from licensing.models import Application
from tests.factories import BusinessFactory, UserFactory
from tests.lifecycle import draft, pdf_bytes
from tests.portal import permit_type_with_form
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/applications/"
ANSWERS = {"activity": "Rumah makan", "floor_area": 120.5, "opening_date": "2026-09-01",
           "building_use": "shop",
           "site": {"street": "Jl. Sudirman 1", "kelurahan": "Cinta Raja", "kecamatan": "sail"}}


@pytest.fixture
def permit_type():
    return permit_type_with_form(code="SIUP")


@pytest.fixture
def business():
    return BusinessFactory(owner=UserFactory())


def test_create_upload_submit_and_follow(api_caller, business, permit_type):
    caller = api_caller("applications", businesses=[business])
    created = caller.post(APPLICATIONS, {"business_nib": business.nib, "permit_type": "SIUP",
                                         "answers": ANSWERS})
    assert created.status_code == 201, created.content
    body = created.json()
    reference = body["reference"]
    assert body["state"] == "draft"
    assert body["answers"]["floor_area"] == 120.5
    assert body["missing"] == ["Application letter"]

    early = caller.post(f"{APPLICATIONS}{reference}/submit/")
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "incomplete"

    requirement = permit_type.required_documents.get()
    uploaded = caller.post(f"{APPLICATIONS}{reference}/documents/", {
        "requirement": requirement.pk,
        "file": SimpleUploadedFile("surat.pdf", pdf_bytes(), "application/pdf"),
    }, multipart=True)
    assert uploaded.status_code == 201, uploaded.content
    assert uploaded.json()["version"] == 1

    submitted = caller.post(f"{APPLICATIONS}{reference}/submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] != "draft"
    assert submitted.json()["submitted_at"]

    application = Application.objects.get(reference=reference)
    # The audit trail names the key's own user as the one who submitted.
    entry = TransitionLog.objects.filter(application=application, transition="submit").get()
    assert entry.actor == caller.key.user
    assert str(entry.actor) == f"API: {caller.key.name}"

    timeline = caller.get(f"{APPLICATIONS}{reference}/timeline/").json()
    assert "application.submit" in [item["event"] for item in timeline]
    assert caller.get(f"{APPLICATIONS}{reference}/bills/").json() == []
    listed = caller.get(APPLICATIONS).json()["results"]
    assert [item["reference"] for item in listed] == [reference]


def test_answers_are_checked_field_by_field(api_caller, business, permit_type):
    caller = api_caller("applications", businesses=[business])
    response = caller.post(APPLICATIONS, {
        "business_nib": business.nib, "permit_type": "SIUP",
        "answers": {"floor_area": 0, "building_use": "castle", "opening_date": "1/9/2026",
                    "colour": "red"},
    })
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"answers.floor_area", "answers.building_use",
                           "answers.opening_date", "answers.colour"}
    assert not Application.objects.exists()


def test_unknown_permit_type_is_a_clear_refusal(api_caller, business, permit_type):
    caller = api_caller("applications", businesses=[business])
    response = caller.post(APPLICATIONS, {"business_nib": business.nib, "permit_type": "NOPE"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_permit_type"


def test_a_key_reaches_nothing_of_another_business(api_caller, business, permit_type):
    other = BusinessFactory(owner=(other_owner := UserFactory()))
    theirs, _owner = draft(permit_type=permit_type, business=other, owner=other_owner)
    caller = api_caller("applications", businesses=[business])
    path = f"{APPLICATIONS}{theirs.reference}/"
    for response in [caller.get(path), caller.get(path + "timeline/"),
                     caller.get(path + "bills/"), caller.post(path + "submit/"),
                     caller.post(path + "documents/", {
                         "requirement": permit_type.required_documents.get().pk,
                         "file": SimpleUploadedFile("x.pdf", pdf_bytes())}, multipart=True),
                     caller.post(APPLICATIONS, {"business_nib": other.nib,
                                                "permit_type": "SIUP"})]:
        assert response.status_code == 404, response.content
        assert response.json()["error"]["code"] == "not_found"
    assert caller.get(APPLICATIONS).json()["results"] == []
    theirs.refresh_from_db()
    assert theirs.state == "draft"
    assert not theirs.attachments.exists()
    assert other.applications.count() == 1


def test_a_revoked_key_no_longer_acts_for_its_business(api_caller, business, permit_type):
    from api.keys import api_key_revoke

    caller = api_caller("applications", businesses=[business])
    assert caller.key.user.memberships.filter(business=business).exists()
    api_key_revoke(key=caller.key)
    assert not caller.key.user.memberships.exists()
    # Its user never signs in, and is never told anything: inactive.
    assert not caller.key.user.is_active

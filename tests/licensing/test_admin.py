"""The admin configures the catalogue; applications are only looked at there."""

from io import StringIO

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from demo.people import ACCOUNTS, BUSINESS, DEMO_PASSWORD
from licensing.admin import FormFieldForm
from licensing.models import Application, Business, PermitType, User
from licensing.states import ApplicationState
from tests.factories import ApplicationFactory, PermitTypeFactory, UserFactory
from tests.lifecycle import draft, submitted
from tests.signin import sign_in
from workflows.models import ReviewUnit

pytestmark = pytest.mark.django_db

ADMIN_EMAIL = next(a["email"] for a in ACCOUNTS if a.get("is_superuser"))


@pytest.fixture
def seeded():
    call_command("seed_demo", force=True, permits=False, stdout=StringIO())


@pytest.fixture
def demo_admin(client, seeded):
    """A browser logged in as the demo administrator, with the demo password."""
    assert sign_in(client, ADMIN_EMAIL, DEMO_PASSWORD)
    return client


def inline_management(prefix: str, total: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


@pytest.mark.parametrize("url", [
    reverse("admin:licensing_permittype_changelist"),
    reverse("admin:licensing_permittype_add"),
    reverse("admin:licensing_business_changelist"),
    reverse("admin:licensing_user_changelist"),
    reverse("admin:licensing_user_add"),
    reverse("admin:licensing_application_changelist"),
])
def test_admin_pages_render(demo_admin, url):
    assert demo_admin.get(url).status_code == 200


def test_permit_type_page_shows_documents_fields_and_steps(demo_admin):
    pbg = PermitType.objects.get(code="PBG")
    response = demo_admin.get(reverse("admin:licensing_permittype_change", args=[pbg.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (pbg.required_documents.first().name_id, "floor_area", "Peninjauan lapangan"):
        assert text in page
    assert 'name="review_steps-0-groups"' in page


def test_business_and_user_change_pages_render(demo_admin):
    business = Business.objects.get(nib=BUSINESS["nib"])
    user = User.objects.get(email=ADMIN_EMAIL)
    for url in (reverse("admin:licensing_business_change", args=[business.pk]),
                reverse("admin:licensing_user_change", args=[user.pk])):
        assert demo_admin.get(url).status_code == 200


def test_adding_a_permit_type_with_a_document_and_a_step(demo_admin):
    data = {
        "code": "IMB", "risk_level": "medium_low", "is_active": "on",
        "name_id": "Izin Uji", "name_en": "Test Permit", "description_id": "",
        "description_en": "", "validity_months": "12",
        "number_pattern": "{code}/{seq:05d}/{year}", "payment_timing": "never",
        "payment_due_days": "7",
        **inline_management("required_documents", 1),
        "required_documents-0-position": "1", "required_documents-0-name_id": "KTP",
        "required_documents-0-name_en": "Identity card",
        "required_documents-0-accepted_formats": ["pdf", "png"],
        "required_documents-0-max_size_kb": "2048", "required_documents-0-mandatory": "on",
        **inline_management("form_fields"),
        **inline_management("review_steps", 1),
        "review_steps-0-position": "1", "review_steps-0-name_id": "Verifikasi",
        "review_steps-0-name_en": "Verification", "review_steps-0-kind": "review",
        "review_steps-0-groups": [str(g) for g in
                                  User.objects.get(email=ADMIN_EMAIL).groups.values_list(
                                      "pk", flat=True)],
        "review_steps-0-sla_working_days": "3", "review_steps-0-checklist": "[]",
        **inline_management("fee_rules"),
    }
    response = demo_admin.post(reverse("admin:licensing_permittype_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = PermitType.objects.get(code="IMB")
    assert created.required_documents.get().accepted_formats == ["pdf", "png"]
    assert created.review_steps.get().groups.exists()


def test_a_choice_field_without_choices_is_refused():
    data = {"position": "1", "key": "kind", "kind": "choice", "required": "on",
            "label_id": "Jenis", "label_en": "Kind", "unit": ""}
    refused = FormFieldForm(data={**data, "choices": "[]"})
    assert not refused.is_valid()
    assert "choices" in refused.errors
    half = FormFieldForm(data={**data, "choices": '[{"value": "a"}]'})
    assert not half.is_valid()
    accepted = FormFieldForm(
        data={**data, "choices": '[{"value": "a", "label_id": "A", "label_en": "A"}]'}
    )
    assert accepted.is_valid(), accepted.errors


def test_adding_a_user_with_an_email_login(demo_admin):
    response = demo_admin.post(reverse("admin:licensing_user_add"), {
        "email": "Petugas.Baru@Izin.TEST", "full_name": "Petugas Baru",
        "usable_password": "true", "password1": "kata-sandi-panjang-1",
        "password2": "kata-sandi-panjang-1",
    })
    assert response.status_code == 302
    user = User.objects.get(email="petugas.baru@izin.test")
    assert user.full_name == "Petugas Baru"
    assert user.check_password("kata-sandi-panjang-1")


def test_kbli_codes_are_typed_separated_by_commas(demo_admin):
    business = Business.objects.get(nib=BUSINESS["nib"])
    data = {**BUSINESS, "kbli_codes": "56101, 47111",
            **inline_management("memberships")}
    response = demo_admin.post(
        reverse("admin:licensing_business_change", args=[business.pk]), data
    )
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.kbli_codes == ["56101", "47111"]


def test_an_administrator_who_is_not_superuser_configures_the_catalogue(seeded, client):
    clerk = UserFactory(groups=["administrator"], is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("admin:licensing_permittype_changelist")).status_code == 200
    assert client.get(reverse("admin:workflows_calendarday_changelist")).status_code == 200


def test_application_admin_cannot_add_change_or_delete(demo_admin):
    request = RequestFactory().get("/")
    request.user = User.objects.get(email=ADMIN_EMAIL)
    model_admin = site._registry[Application]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert demo_admin.get(reverse("admin:licensing_application_add")).status_code == 403


def test_application_is_shown_read_only_and_state_cannot_be_posted(demo_admin):
    permit_type = PermitTypeFactory(steps=["dinas_pupr"])
    application, _owner = submitted(permit_type=permit_type)
    assert application.state == "in_review"
    url = reverse("admin:licensing_application_change", args=[application.pk])
    response = demo_admin.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    pupr = ReviewUnit.objects.get(group__name="dinas_pupr")
    with translation.override("id"):
        in_review = str(ApplicationState.IN_REVIEW.label)
    # The audit trail names states and units the way people say them, not by their ids.
    for text in (application.reference, pupr.name_id, "start_review", in_review):
        assert text in page
    assert "dinas_pupr" not in page and ">in_review<" not in page
    assert 'name="state"' not in page
    assert demo_admin.post(url, {"state": "approved"}).status_code == 403
    application.refresh_from_db()
    assert application.state == "in_review"


def test_permit_type_code_is_fixed_once_applications_use_it(demo_admin):
    pbg = PermitType.objects.get(code="PBG")
    url = reverse("admin:licensing_permittype_change", args=[pbg.pk])
    assert 'name="code"' in demo_admin.get(url).content.decode()
    draft(permit_type=pbg)
    assert 'name="code"' not in demo_admin.get(url).content.decode()


def test_applications_are_found_by_reference_and_nib(demo_admin):
    mine = ApplicationFactory(reference="PBG-2026-000123")
    other = ApplicationFactory(reference="SIP-2026-000001")
    changelist = reverse("admin:licensing_application_changelist")
    for term in (mine.reference, mine.business.nib):
        page = demo_admin.get(changelist, {"q": term}).content.decode()
        assert mine.reference in page and other.reference not in page

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from licensing.models import PaymentTiming
from tests.factories import FormFieldFactory, PermitTypeFactory, RequiredDocumentFactory
from tests.portal import in_english
from workflows.models import ReviewStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def building_approval():
    permit_type = PermitTypeFactory(
        code="PBG", name_id="Persetujuan Bangunan Gedung", name_en="Building approval",
        description_en="For new buildings and renovations.",
        payment_timing=PaymentTiming.AFTER_APPROVAL, validity_months=None,
        steps=["dinas_pupr"],
    )
    RequiredDocumentFactory(permit_type=permit_type, name_en="Technical drawings",
                            accepted_formats=["pdf"], max_size_kb=2048)
    FormFieldFactory(permit_type=permit_type, label_en="Floor area", kind="number", unit="m²",
                     min_value=1, max_value=5000)
    return permit_type


def test_catalogue_lists_the_open_permit_types(client, building_approval):
    closed = PermitTypeFactory(name_en="Closed permit", is_active=False)
    page = in_english(client).get(reverse("catalogue")).content.decode()
    assert "Building approval" in page
    assert closed.name_en not in page
    assert client.get(reverse("catalogue_detail", args=[closed.code])).status_code == 404


def test_catalogue_page_shows_the_live_configuration(client, building_approval):
    url = reverse("catalogue_detail", args=["PBG"])
    page = in_english(client).get(url).content.decode()
    assert "For new buildings and renovations." in page
    assert "Medium-high" in page
    assert "Technical drawings" in page and "PDF" in page and "2048 KB" in page
    assert "Floor area" in page and "m²" in page and "5000" in page
    assert "Step 1" in page and "dinas_pupr" in page and "3 working days" in page
    assert "Does not expire" in page
    assert "After approval" in page and "fee calculated at application" in page

    # The administrator changes the configuration: the page follows without a deploy.
    step = building_approval.review_steps.get()
    step.name_en, step.sla_working_days = "Technical verification", 7
    step.save()
    signing = ReviewStep.objects.create(permit_type=building_approval, position=2,
                                        name_id="Penandatanganan", name_en="Signing",
                                        sla_working_days=2)
    signing.groups.add(Group.objects.create(name="head_of_office"))
    RequiredDocumentFactory(permit_type=building_approval, name_en="Land certificate",
                            mandatory=False)
    building_approval.validity_months = 60
    building_approval.service_standard_days = 12
    building_approval.correction_days = 14
    building_approval.save()

    page = " ".join(client.get(url).content.decode().split())
    assert "Step 1" not in page
    assert "Technical verification" in page and "7 working days" in page
    assert "Signing" in page and "head_of_office" in page
    assert "A decision within 12 working days of a complete application" in page
    assert "approved by operation of law (fiktif positif)" in page
    assert "Make them within 14 working days, or the application lapses" in page
    assert "Land certificate" in page
    assert "60 months" in page


def test_free_permit_says_so_without_a_fee(client):
    permit_type = PermitTypeFactory(payment_timing=PaymentTiming.NEVER)
    page = in_english(client).get(reverse("catalogue_detail", args=[permit_type.code]))
    text = page.content.decode()
    assert "Free of charge" in text
    assert "fee calculated at application" not in text
    assert "approved on submission" in text


def test_language_switch_to_english(client, building_approval):
    url = reverse("catalogue_detail", args=["PBG"])
    page = client.get(url).content.decode()
    assert '<html lang="id">' in page
    assert "Persetujuan Bangunan Gedung" in page

    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url

    page = client.get(url).content.decode()
    assert '<html lang="en">' in page
    assert "Building approval" in page
    assert "Persetujuan Bangunan Gedung" not in page


def test_home_page_lists_permits_and_invites_to_sign_up(client, building_approval):
    page = in_english(client).get(reverse("home")).content.decode()
    assert "Building approval" in page
    assert reverse("signup") in page

"""Each permit type's help page: what to prepare, the steps, the cost and the service standard,
all read from the configuration (change it and the page follows)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from licensing.models import PaymentTiming
from tests.factories import (
    FeeRuleFactory,
    FormFieldFactory,
    PermitTypeFactory,
    RequiredDocumentFactory,
)
from tests.html_parts import parts
from tests.portal import in_english
from workflows.models import ReviewStep

pytestmark = pytest.mark.django_db

CHOICES = [{"value": "hunian", "label_id": "Hunian", "label_en": "Residential"},
           {"value": "usaha", "label_id": "Usaha", "label_en": "Business"}]


@pytest.fixture
def building():
    permit_type = PermitTypeFactory(
        code="PBG", name_id="Persetujuan Bangunan Gedung", name_en="Building approval",
        payment_timing=PaymentTiming.AFTER_APPROVAL, payment_due_days=30,
        validity_months=None, service_standard_days=15, approved_by_law=True, fee_rules=[],
    )
    RequiredDocumentFactory(permit_type=permit_type, name_en="Land certificate",
                            accepted_formats=["pdf"], max_size_kb=10 * 1024)
    RequiredDocumentFactory(permit_type=permit_type, name_en="Site photos",
                            accepted_formats=["jpeg", "png"], max_size_kb=500, mandatory=False)
    FormFieldFactory(permit_type=permit_type, key="floor_area", label_en="Floor area",
                     kind="number", unit="m²", min_value=1, max_value=5000)
    FormFieldFactory(permit_type=permit_type, key="floors", label_en="Number of floors",
                     kind="number", unit="lantai", unit_en="floors", min_value=1, max_value=60)
    FormFieldFactory(permit_type=permit_type, key="use", label_en="Building function",
                     kind="choice", choices=CHOICES)
    for position, (name, days, group) in enumerate(
            [("Document check", 2, "front_office"), ("Technical assessment", 10, "dinas_pupr")],
            start=1):
        step = ReviewStep.objects.create(permit_type=permit_type, position=position,
                                         name_id=name, name_en=name, sla_working_days=days)
        step.groups.add(Group.objects.get_or_create(name=group)[0])
    FeeRuleFactory(permit_type=permit_type, kind="per_unit", amount=None, rate=8_000,
                   label_en="Regional levy for building approval", field_key="floor_area",
                   index_field_key="use", index_table={"hunian": "1.00", "usaha": "3.00"})
    return permit_type


def help_page(client, permit_type) -> str:
    response = client.get(reverse("permit_type_help", args=[permit_type.code]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_help_page_says_what_the_configuration_says(client, building):
    page = help_page(in_english(client), building)

    documents = parts(page, "help-document")
    assert [(a["data-formats"], a["data-max-kb"], a["data-mandatory"]) for a, _ in documents] == [
        ("pdf", "10240", "yes"), ("jpeg,png", "500", "no")]
    assert "Land certificate" in documents[0][1] and "10 MB" in documents[0][1]
    assert "Site photos" in documents[1][1] and "500 KB" in documents[1][1]
    fields = {a["data-key"]: (a.get("data-unit"), text) for a, text in parts(page, "help-field")}
    assert list(fields) == ["floor_area", "floors", "use"]
    assert fields["floors"][0] == "floors" and "from 1 to 60" in fields["floors"][1]
    assert fields["floor_area"][0] == "m²"
    assert "Residential, Business" in fields["use"][1]

    journey = parts(page, "journey-step")
    assert [a["data-step"] for a, _ in journey] == ["submit", "review", "review", "pay", "issue"]
    steps = parts(page, "review-step")
    assert [a["data-days"] for a, _ in steps] == ["2", "10"]
    assert "Document check" in steps[0][1] and "Technical assessment" in steps[1][1]
    assert "10 working days" in steps[1][1]
    assert "within 30 days" in journey[3][1]
    [(standard, _text)] = parts(page, "service-standard")
    assert standard["data-days"] == "15"
    [(by_law, by_law_text)] = parts(page, "approved-by-law")
    assert by_law["data-applies"] == "yes" and building.approved_by_law_basis in by_law_text

    # 100 m² (the sample, within 1 to 5000) × Rp 8.000 × index 1 (the first priced choice).
    [(example, example_text)] = parts(page, "fee-example")
    assert example["data-total"] == str(100 * 8_000)
    assert "Rp 800.000" in example_text and "100 m²" in example_text
    assert "Residential" in example_text
    assert "Regional levy for building approval" in example_text
    assert reverse("contact") in page and reverse("application_start", args=["PBG"]) in page


def test_the_page_follows_the_configuration(client, building):
    in_english(client)
    building.payment_timing = PaymentTiming.BEFORE_REVIEW
    building.service_standard_days = 20
    building.approved_by_law = False
    building.save()
    ReviewStep.objects.filter(permit_type=building, position=2).update(sla_working_days=7)
    RequiredDocumentFactory(permit_type=building, name_en="Structural calculation",
                            accepted_formats=["pdf"], max_size_kb=2000)
    building.fee_rules.update(rate=10_000)
    building.form_fields.filter(key="floor_area").update(max_value=50)

    page = help_page(client, building)

    assert len(parts(page, "help-document")) == 3
    assert "2000 KB" in parts(page, "help-document")[2][1]
    assert [a["data-step"] for a, _ in parts(page, "journey-step")] == [
        "submit", "pay", "review", "review", "issue"]
    assert [a["data-days"] for a, _ in parts(page, "review-step")] == ["2", "7"]
    assert parts(page, "service-standard")[0][0]["data-days"] == "20"
    assert parts(page, "approved-by-law")[0][0]["data-applies"] == "no"
    # The sample stays within the field's limits: 50 m² × Rp 10,000.
    assert parts(page, "fee-example")[0][0]["data-total"] == str(50 * 10_000)


def test_in_indonesian_the_units_are_indonesian(client, building):
    page = help_page(client, building)
    fields = {a["data-key"]: a.get("data-unit") for a, _ in parts(page, "help-field")}
    assert fields["floors"] == "lantai"


def test_a_free_permit_without_review_has_no_cost_and_no_standard(client):
    permit_type = PermitTypeFactory(payment_timing=PaymentTiming.NEVER, validity_months=12)
    page = help_page(in_english(client), permit_type)
    assert [a["data-step"] for a, _ in parts(page, "journey-step")] == ["submit", "issue"]
    assert parts(page, "service-standard") == [] and parts(page, "fee-example") == []
    assert "free of charge" in page
    assert "valid for 12 months" in parts(page, "journey-step")[1][1]


def test_no_example_when_the_tariff_cannot_price_one(client):
    """A rule that reads an answer the form does not ask: the rules are shown, no made-up sum."""
    permit_type = PermitTypeFactory(paid_after_approval=True, fee_rules=[
        {"kind": "per_unit", "amount": None, "rate": 5_000, "field_key": "missing"}])
    page = help_page(in_english(client), permit_type)
    assert parts(page, "fee-rule") and parts(page, "fee-example") == []


def test_anyone_may_read_it_and_the_catalogue_links_to_it(client, building):
    url = reverse("permit_type_help", args=[building.code])
    assert client.get(url).status_code == 200  # not signed in
    assert url in client.get(reverse("catalogue_detail", args=[building.code])).content.decode()
    building.is_active = False
    building.save()
    assert client.get(url).status_code == 404

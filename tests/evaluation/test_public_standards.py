"""The service standard of every permit type, read from the live configuration: requirements,
the steps in order and who takes them, the levy with its tariff and a worked example, the
working days the office promises and approval by operation of law with its legal basis."""

import html as html_lib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from payments.selectors import fee_rules_in_words
from tests.factories import PermitTypeFactory, RequiredDocumentFactory, ReviewUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def building():
    ReviewUnitFactory(group__name="front_office", name_id="Loket DPMPTSP",
                      name_en="DPMPTSP front office")
    ReviewUnitFactory(group__name="dinas_pupr", name_id="Dinas PUPR", name_en="Public Works")
    permit_type = PermitTypeFactory(code="PBG", name_id="Persetujuan Bangunan Gedung",
                                    service_standard_days=14, paid_after_approval=True,
                                    steps=["front_office", "dinas_pupr"],
                                    approved_by_law_basis="Pasal 53 UU 30/2014 (uji)",
                                    fee_legal_basis="Perda Kota Pekanbaru 1/2024 Pasal 9 (uji)")
    RequiredDocumentFactory(permit_type=permit_type, name_id="Gambar teknis bangunan",
                            accepted_formats=["pdf"], max_size_kb=10240)
    RequiredDocumentFactory(permit_type=permit_type, name_id="Bukti kepemilikan tanah",
                            mandatory=False)
    return permit_type


def page(client, code: str) -> str:
    response = client.get(reverse("public:standard_detail", args=[code]))
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def test_a_permits_standard_from_its_configuration(client, building):
    html = page(client, "PBG")
    assert "Persetujuan Bangunan Gedung" in html
    # Requirements, with their formats and sizes.
    assert "Gambar teknis bangunan" in html and "Bukti kepemilikan tanah" in html
    assert 'data-formats="pdf" data-max-kb="10240" data-mandatory="yes"' in html
    # The steps in their order, each with the unit that takes it and its working days.
    first, second = html.index("Langkah 1"), html.index("Langkah 2")
    assert first < html.index("Loket DPMPTSP") < second < html.index("Dinas PUPR")
    assert html.count('data-step="review" data-days="3"') == 2
    # The time the office promises, and what happens when it is missed, with its basis.
    assert 'class="total-working-days" data-days="14"' in html
    assert 'steps-total" data-days="6"' in html
    assert 'data-applies="yes"' in html and "Pasal 53 UU 30/2014 (uji)" in html
    # The levy: its legal basis, the tariff in words as payments states it, a worked example.
    assert "Perda Kota Pekanbaru 1/2024 Pasal 9 (uji)" in html
    for rule in fee_rules_in_words(permit_type=building):
        assert rule.words in html
    assert 'class="card fee-example" data-total="150000"' in html


def test_a_changed_configuration_is_the_standard_at_once(client, building):
    building.service_standard_days = 9
    building.approved_by_law = False
    building.save()
    building.review_steps.get(position=2).delete()
    html = page(client, "PBG")
    assert 'class="total-working-days" data-days="9"' in html
    assert 'data-applies="no"' in html
    assert "Langkah 2" not in html


def test_a_free_permit_without_review(client):
    PermitTypeFactory(code="SKU", risk_level="low")
    html = page(client, "SKU")
    assert 'class="total-working-days" data-days="0"' in html
    assert "fee-example" not in html and "fee-rule" not in html


def test_the_list_names_every_open_permit_and_no_closed_one(client, building):
    PermitTypeFactory(code="OLD", is_active=False)
    response = client.get(reverse("public:standard_list"))
    html = response.content.decode()
    assert 'data-code="PBG"' in html and 'data-code="OLD"' not in html
    assert reverse("public:standard_detail", args=["PBG"]) in html
    assert client.get(reverse("public:standard_detail", args=["OLD"])).status_code == 404


def test_the_list_costs_the_same_for_three_types_as_for_twelve(client):
    for n in range(3):
        PermitTypeFactory(steps=["agency_a", ["agency_b", "agency_c"]])
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("public:standard_list"))
    for n in range(9):
        PermitTypeFactory(steps=["agency_a", ["agency_b", "agency_c"]])
    with CaptureQueriesContext(connection) as twelve:
        html = client.get(reverse("public:standard_list")).content.decode()
    assert html.count('class="service-standard-row"') == 12
    assert len(twelve) == len(three)


def test_the_public_pages_are_linked_from_every_page(client):
    html = client.get(reverse("home")).content.decode()
    for name in ("public:standard_list", "public:statistics", "public:register"):
        assert f'href="{reverse(name)}"' in html

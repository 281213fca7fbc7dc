"""What assistive technology reads in the portal's forms: errors and messages stay lists inside
their live region, errors and help are tied to their input, and an address names each part with
a label of its own (axe-core checks the same pages in the browser: tests/e2e/test_axe_scan.py)."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.lifecycle import draft
from tests.portal import COMPLETE_ANSWERS, in_english, permit_type_with_form, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    in_english(client)


def edit_page(client, data=None) -> str:
    application, owner = draft(permit_type=permit_type_with_form())
    client.force_login(owner)
    url = reverse("application_edit", args=[application.pk])
    response = post(client, url, data) if data else client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_each_part_of_an_address_has_a_label_and_the_address_is_one_fieldset(client):
    page = edit_page(client)
    fieldset = re.search(r'<fieldset class="field">\s*<legend>(.*?)</legend>(.*?)</fieldset>',
                         page, re.S)
    assert fieldset and fieldset.group(1).startswith("Site address")
    parts = re.findall(r'<label for="(id_site_\d)">([^<]+)</label>\s*<(input|select)[^>]*'
                       r'id="(id_site_\d)"', fieldset.group(2))
    assert parts == [("id_site_0", "Street and number", "input", "id_site_0"),
                     ("id_site_1", "Kelurahan", "input", "id_site_1"),
                     ("id_site_2", "Kecamatan", "select", "id_site_2")]
    assert "placeholder=" not in page and 'for="id_site' not in page.replace(
        fieldset.group(2), "")  # no label outside the fieldset points into the address


def test_field_errors_are_a_list_inside_an_alert_and_described_by_the_input(client):
    page = edit_page(client, {**COMPLETE_ANSWERS, "floor_area": "0"})
    errors = re.search(r'<div role="alert"><ul class="errorlist" id="id_floor_area_error">'
                       r"<li>[^<]+</li></ul></div>", page)
    assert errors, "the error list is not inside its alert"
    floor_area = re.search(r'<input[^>]*name="floor_area"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in floor_area
    described = re.search(r'aria-describedby="([^"]+)"', floor_area).group(1).split()
    assert described == ["id_floor_area_helptext", "id_floor_area_error"]
    assert 'id="id_floor_area_helptext"' in page
    assert not re.search(r'<(ul|li)[^>]*\brole=', page)


def test_an_address_with_errors_points_its_fieldset_at_them(client):
    page = edit_page(client, {**COMPLETE_ANSWERS, "site_0": "Jl. Riau No. 5"})
    assert '<fieldset class="field" aria-describedby="id_site_error">' in page
    assert '<ul class="errorlist" id="id_site_error">' in page


def test_a_message_is_a_list_item_inside_a_status_region(client):
    owner = UserFactory()
    client.force_login(owner)
    response = post(client, reverse("business_register"), {
        "legal_name": "CV Pesan", "nib": "9120003333333", "npwp": "01.234.567.8-123.000",
        "street_address": "Jl. Sudirman 1", "kecamatan": "sail", "kelurahan": "Cinta Raja",
        "kbli_codes": "56101"}, follow=True)
    page = response.content.decode()
    assert re.search(r'<div role="status">\s*<ul class="messages">\s*<li class="success">'
                     r"CV Pesan[^<]*</li>\s*</ul>\s*</div>", page)
    assert not re.search(r'<(ul|li)[^>]*\brole=', page)

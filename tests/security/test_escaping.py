"""What the administrator group types into the catalogue reaches applicants' pages as text,
never as markup (a unit of ``<svg/onload=…>`` ran on the applicant's form)."""

import pytest
from django.urls import reverse

from tests.factories import FormFieldFactory, PermitTypeFactory
from tests.lifecycle import draft
from tests.portal import in_english

pytestmark = pytest.mark.django_db

SCRIPT = "<svg/onload=alert()>"  # the field holds 20 characters


@pytest.fixture
def application_with_a_hostile_unit():
    permit_type = PermitTypeFactory(code="PBG")
    FormFieldFactory(permit_type=permit_type, key="floor_area", label_en="Floor area",
                     kind="number", unit=SCRIPT)
    return draft(permit_type=permit_type)


def test_the_unit_is_escaped_on_the_applicants_form(client, application_with_a_hostile_unit):
    application, owner = application_with_a_hostile_unit
    client.force_login(owner)
    page = in_english(client).get(reverse("application_edit", args=[application.pk]))
    html = page.content.decode()
    assert SCRIPT not in html
    assert "&lt;svg/onload=alert()&gt;" in html


def test_the_unit_is_escaped_in_the_public_catalogue(client, application_with_a_hostile_unit):
    html = client.get(reverse("catalogue_detail", args=["PBG"])).content.decode()
    assert SCRIPT not in html


def test_djangos_own_help_text_markup_still_renders(client):
    """The password rules are Django's own safe HTML: escaping data does not turn them to text."""
    html = in_english(client).get(reverse("signup")).content.decode()
    assert "<ul><li>" in html and "&lt;ul&gt;" not in html

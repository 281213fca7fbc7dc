"""Numbers typed the Indonesian way (7,5 · 1.250,75) or the English way (7.5 · 1,250.75) are read
right, or refused with a message; never guessed. 7,5 m² must never become 75 m² and a levy ten
times too large."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from licensing.forms import AnswersForm
from licensing.numbers import RupiahField, parse_number
from tests.factories import FormFieldFactory, PermitTypeFactory
from tests.lifecycle import draft
from tests.payments.support import building_type
from tests.portal import post

READ_IN_BOTH = [
    ("7,5", "7.5"), ("7.5", "7.5"), ("7", "7"), ("0,5", "0.5"), ("0.500", "0.5"),
    ("1.250,75", "1250.75"), ("1,250.75", "1250.75"), ("1.250.000", "1250000"),
    ("1,250,000", "1250000"), (" 12,25 ", "12.25"), ("120,5", "120.5"), ("-3,5", "-3.5"),
    ("Rp 1.500.000", "1500000"), ("2\u00a0500,5", "2500.5"),
]
# One separator and three digits: the page's language settles it.
BY_LANGUAGE = [("1.500", "1500", "1.5"), ("1,500", "1.5", "1500")]
REFUSED = ["", "abc", "7,5,5", "1.25.000", "1,2.3,4", "7,", ",5", "1.250,75.5", "--5",
           "1e5", "5%", "9" * 41, "12,5 m2"]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(("typed", "value"), READ_IN_BOTH)
def test_unambiguous_numbers_read_the_same_in_both_languages(typed, value, language):
    assert parse_number(typed, language=language) == Decimal(value)


@pytest.mark.parametrize(("typed", "indonesian", "english"), BY_LANGUAGE)
def test_three_digits_after_one_separator_follow_the_pages_language(typed, indonesian, english):
    assert parse_number(typed, language="id") == Decimal(indonesian)
    assert parse_number(typed, language="en") == Decimal(english)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("typed", REFUSED)
def test_what_is_not_a_number_is_refused_with_a_message(typed, language):
    with pytest.raises(ValidationError) as refused, translation.override(language):
        parse_number(typed)
    message = str(refused.value.messages[0])
    assert "7,5" in message and "1.250" in message


def test_rupiah_are_whole():
    field = RupiahField(min_value=1)
    with translation.override("id"):
        assert field.clean("Rp 1.500.000") == 1_500_000
        with pytest.raises(ValidationError):
            field.clean("1.500,50")


# Every kind of field on an application form, read on the server in both languages.


@pytest.fixture
def every_kind(db):
    permit_type = PermitTypeFactory()
    FormFieldFactory(permit_type=permit_type, key="area", kind="number", unit="m²",
                     max_value=100000)
    FormFieldFactory(permit_type=permit_type, key="name", kind="text")
    FormFieldFactory(permit_type=permit_type, key="start", kind="date")
    FormFieldFactory(permit_type=permit_type, key="use", kind="choice",
                     choices=[{"value": "toko", "label_id": "Toko", "label_en": "Shop"}])
    return permit_type


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_field_kind_is_read_on_the_server(every_kind, language):
    with translation.override(language):
        form = AnswersForm({"area": "7,5", "name": "Warung Sari", "start": "2027-01-11",
                            "use": "toko"}, permit_type=every_kind, answers={})
        assert form.is_valid(), form.errors
    assert form.answers() == {"area": 7.5, "name": "Warung Sari", "start": "2027-01-11",
                              "use": "toko"}


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_number_it_cannot_read_is_refused_not_stored(every_kind, language):
    with translation.override(language):
        form = AnswersForm({"area": "7,5,5"}, permit_type=every_kind, answers={})
        assert not form.is_valid()
        assert "7,5" in form.errors["area"][0]


def test_a_stored_number_is_shown_back_in_the_pages_language(every_kind):
    with translation.override("id"):
        page = str(AnswersForm(permit_type=every_kind, answers={"area": 1250.75})["area"])
    assert 'value="1250,75"' in page and 'inputmode="decimal"' in page
    with translation.override("en"):
        page = str(AnswersForm(permit_type=every_kind, answers={"area": 1250.75})["area"])
    assert 'value="1250.75"' in page


# The page: 7,5 m² saved, and the value read echoed beside the fee before submitting.


@pytest.mark.django_db
def test_the_draft_page_echoes_the_area_read_beside_the_levy(client):
    application, owner = draft(permit_type=building_type(), answers={})
    client.force_login(owner)
    response = post(client, reverse("application_edit", args=[application.pk]),
                    {"floor_area": "7,5", "building_function": "usaha"})
    application.refresh_from_db()
    assert application.answers["floor_area"] == 7.5
    page = " ".join(client.get(response["Location"]).content.decode().split())
    # 7,5 m² × Rp 10.000 × 1,5 = Rp 112.500 (not Rp 1.125.000 for 75 m²).
    assert '<span class="nowrap">7,5 m²</span> → <strong class="nowrap">Rp 112.500</strong>' in page

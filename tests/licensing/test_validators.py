import pytest
from django.core.exceptions import ValidationError

from licensing.validators import (
    digits_only,
    validate_kbli_list,
    validate_nib,
    validate_nik,
    validate_npwp,
)


@pytest.mark.parametrize("value", ["9120001234567"])
def test_nib_of_13_digits_is_accepted(value):
    validate_nib(value)


@pytest.mark.parametrize("value", ["", "912000123456", "91200012345678", "91200012345a7"])
def test_nib_of_other_lengths_or_letters_is_refused(value):
    with pytest.raises(ValidationError) as error:
        validate_nib(value)
    assert error.value.code == "invalid_nib"


@pytest.mark.parametrize("value", ["012345678912000", "3171012345678901"])
def test_npwp_of_15_or_16_digits_is_accepted(value):
    validate_npwp(value)


@pytest.mark.parametrize("value", ["01234567891200", "31710123456789012", "01.234.567.8-912.000"])
def test_npwp_otherwise_is_refused(value):
    with pytest.raises(ValidationError):
        validate_npwp(value)


def test_npwp_punctuation_is_dropped_before_validation():
    assert digits_only("01.234.567.8-912.000") == "012345678912000"
    validate_npwp(digits_only("01.234.567.8-912.000"))


def test_nik_has_16_digits():
    validate_nik("1471010101900001")
    with pytest.raises(ValidationError):
        validate_nik("147101010190000")


def test_kbli_codes_are_five_digits_and_at_least_one():
    validate_kbli_list(["56101", "47111"])
    with pytest.raises(ValidationError):
        validate_kbli_list([])
    with pytest.raises(ValidationError):
        validate_kbli_list(["5610"])


def test_messages_are_indonesian_by_default_and_english_on_request():
    from django.utils import translation

    messages = {}
    for language in ("id", "en"):
        with translation.override(language), pytest.raises(ValidationError) as error:
            validate_nib("1")
        with translation.override(language):
            messages[language] = str(error.value.messages[0])
    assert messages["en"] == "NIB must be exactly 13 digits."
    assert messages["id"] == "NIB harus terdiri atas tepat 13 digit."

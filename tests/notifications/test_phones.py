import pytest
from django.core.exceptions import ValidationError

from notifications.phones import phone_normalise, validate_phone


@pytest.mark.parametrize(("typed", "stored"), [
    ("081234567890", "+6281234567890"),
    ("0812-3456-7890", "+6281234567890"),
    ("+62 812 3456 7890", "+6281234567890"),
    ("6281234567890", "+6281234567890"),
    ("(0812) 345.678", "+62812345678"),  # ten digits, the oldest numbers
    ("0812345678901", "+62812345678901"),  # thirteen digits
    ("", ""),
])
def test_indonesian_mobile_numbers_are_stored_in_e164(typed, stored):
    assert phone_normalise(typed) == stored
    validate_phone(stored)


@pytest.mark.parametrize("typed", [
    "0761 123456",  # a landline in Pekanbaru: no SMS
    "08123456",  # too short
    "08123456789012",  # too long
    "+6581234567",  # Singapore
    "0812-abc-7890",
])
def test_other_numbers_are_refused(typed):
    with pytest.raises(ValidationError) as refused:
        phone_normalise(typed)
    assert refused.value.code == "invalid_phone"


def test_the_stored_form_is_e164_only():
    with pytest.raises(ValidationError):
        validate_phone("081234567890")

"""SKRD numbers and billing codes (kode bayar)."""

import pytest

from payments.numbering import (
    billing_code,
    billing_code_is_valid,
    invoice_number,
    luhn_check_digit,
)


def test_invoice_number_reads_as_the_office_writes_it():
    assert invoice_number(year=2026, seq=123) == "SKRD/2026/000123"


def test_check_digit_is_luhns():
    # The textbook example: 7992739871 takes the check digit 3.
    assert luhn_check_digit("7992739871") == 3


def test_billing_code_has_sixteen_digits_year_first_and_a_valid_check_digit():
    code = billing_code(year=2026, seq=123)
    assert len(code) == 16 and code.isdigit()
    assert code.startswith("2026" + "00000000123")
    assert billing_code_is_valid(code)


@pytest.mark.parametrize("position", range(16))
def test_any_single_mistyped_digit_is_caught(position):
    code = billing_code(year=2026, seq=4711)
    for digit in "0123456789":
        if digit != code[position]:
            typo = code[:position] + digit + code[position + 1:]
            assert not billing_code_is_valid(typo), typo


def test_neighbouring_numbers_get_different_codes():
    codes = {billing_code(year=2026, seq=seq) for seq in range(1, 2000)}
    assert len(codes) == 1999

"""payments.money: the one converter between whole rupiah and the gateway's minor units."""

from decimal import Decimal

import pytest

from payments.money import CURRENCY, from_gateway_amount, to_gateway_amount


def test_currency_is_rupiah_in_the_gateways_spelling():
    assert CURRENCY == "idr"


@pytest.mark.parametrize(("rupiah", "minor"), [(0, 0), (1, 100), (1_500_000, 150_000_000),
                                               (9_999_999_999, 999_999_999_900)])
def test_rupiah_travel_as_hundredths_and_come_back_the_same(rupiah, minor):
    assert to_gateway_amount(rupiah) == minor
    assert from_gateway_amount(minor) == rupiah


@pytest.mark.parametrize("minor", [1, 150, 99, 1_500_050])
def test_fractions_of_a_rupiah_are_refused(minor):
    with pytest.raises(ValueError, match="not a whole"):
        from_gateway_amount(minor)


def test_negative_amounts_are_refused_both_ways():
    with pytest.raises(ValueError):
        to_gateway_amount(-1)
    with pytest.raises(ValueError):
        from_gateway_amount(-100)


@pytest.mark.parametrize("amount", [1.5, 100.0, Decimal("100"), "100", True, None])
def test_only_integers_are_money(amount):
    with pytest.raises(TypeError):
        to_gateway_amount(amount)
    with pytest.raises(TypeError):
        from_gateway_amount(amount)

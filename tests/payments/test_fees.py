"""payments.fees: every kind of rule, tariff dates at their boundaries, the one rounding, and
clear errors for missing or wrong answers. No database: these tests have no django_db mark, so
any query would fail them (the calculation is pure)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from licensing.models import FormField
from payments.fees import FeeError, FeeKind, fee_breakdown, round_rupiah, rule_in_words
from payments.models import FeeRule

ON = date(2026, 6, 1)
FIELDS = {
    "floor_area": FormField(key="floor_area", kind="number", unit="m²",
                            label_id="Luas lantai", label_en="Floor area"),
    "building_function": FormField(
        key="building_function", kind="choice", label_id="Fungsi bangunan",
        label_en="Building function",
        choices=[{"value": "hunian", "label_id": "Hunian", "label_en": "Residential"},
                 {"value": "usaha", "label_id": "Usaha", "label_en": "Business"}],
    ),
    "area": FormField(key="area", kind="number", unit="m²", label_id="Luas bidang",
                      label_en="Advertising area"),
    "duration": FormField(key="duration", kind="number", unit="bulan", label_id="Lama",
                          label_en="Duration"),
}


def rule(kind=FeeKind.FLAT, *, position=1, effective_from=date(2026, 1, 1), **settings):
    values = {"amount": None, "rate": None, "field_key": "", "second_field_key": "",
              "index_field_key": "", "index_table": {}, "tiers": [], **settings}
    return FeeRule(kind=kind, position=position, label_id=f"Retribusi {position}",
                   label_en=f"Levy {position}", account_code="4.1.02.03.01.0001",
                   effective_from=effective_from, **values)


def price(rules, answers=None, on=ON, language="en"):
    with translation.override(language):
        return fee_breakdown(rules=rules, fields=FIELDS, answers=answers or {}, on=on)


PBG = dict(kind=FeeKind.PER_UNIT, rate=10_000, field_key="floor_area",
           index_field_key="building_function", index_table={"hunian": "1.00", "usaha": "1.50"})
TIERS = [{"up_to": 100, "amount": 500_000}, {"up_to": 500, "rate": 5_000},
         {"up_to": None, "rate": 4_000}]


def test_flat_amount():
    breakdown = price([rule(amount=150_000)])
    assert [line.amount for line in breakdown.lines] == [150_000]
    assert breakdown.total == 150_000
    line = breakdown.lines[0]
    assert (line.label, line.account_code, line.basis) == ("Levy 1", "4.1.02.03.01.0001",
                                                           "fixed amount")


def test_rate_per_unit_of_an_answer():
    breakdown = price([rule(FeeKind.PER_UNIT, rate=10_000, field_key="floor_area")],
                      {"floor_area": 120})
    assert breakdown.total == 1_200_000
    assert breakdown.lines[0].basis == "120 m² × Rp 10.000"


def test_rate_per_unit_times_the_index_of_a_choice():
    breakdown = price([rule(**PBG)], {"floor_area": 120.5, "building_function": "usaha"})
    assert breakdown.total == 1_807_500  # 120,5 × 10.000 × 1,5
    assert breakdown.lines[0].basis == "120.5 m² × Rp 10.000 × index 1.5 (Business)"
    residential = price([rule(**PBG)], {"floor_area": 120.5, "building_function": "hunian"})
    assert residential.total == 1_205_000


def test_the_basis_is_written_in_the_readers_language():
    breakdown = price([rule(**PBG)], {"floor_area": 1200.5, "building_function": "usaha"},
                      language="id")
    assert breakdown.lines[0].label == "Retribusi 1"
    assert breakdown.lines[0].basis.startswith("1.200,5 m² × Rp 10.000")
    assert "1,5 (Usaha)" in breakdown.lines[0].basis


def test_area_times_months_times_rate():
    breakdown = price([rule(FeeKind.AREA_MONTHS, rate=25_000, field_key="area",
                            second_field_key="duration")], {"area": 4.5, "duration": 6})
    assert breakdown.total == 675_000
    assert breakdown.lines[0].basis == "4.5 m² × 6 bulan × Rp 25.000"


@pytest.mark.parametrize(("floor_area", "amount", "bracket"), [
    (1, 500_000, "up to 100 m²"),
    (100, 500_000, "up to 100 m²"),  # the limit belongs to its own bracket
    (100.5, 502_500, "up to 500 m²"),
    (500, 2_500_000, "up to 500 m²"),
    (501, 2_004_000, "over 500 m²"),
])
def test_brackets_pick_the_first_one_the_answer_fits(floor_area, amount, bracket):
    breakdown = price([rule(FeeKind.TIERED, field_key="floor_area", tiers=TIERS)],
                      {"floor_area": floor_area})
    assert breakdown.total == amount
    assert f"(bracket {bracket})" in breakdown.lines[0].basis


def test_several_rules_are_several_lines_in_position_order():
    breakdown = price([rule(amount=50_000, position=2), rule(**PBG, position=1)],
                      {"floor_area": 100, "building_function": "hunian"})
    assert [line.label for line in breakdown.lines] == ["Levy 1", "Levy 2"]
    assert breakdown.total == 1_000_000 + 50_000


# Tariff dates.

OLD = dict(amount=100_000, effective_from=date(2026, 1, 1), effective_to=date(2026, 12, 31))
NEW = dict(amount=120_000, effective_from=date(2027, 1, 1))


@pytest.mark.parametrize(("on", "total"), [
    (date(2026, 1, 1), 100_000),  # first day of the old tariff
    (date(2026, 12, 31), 100_000),  # its last day
    (date(2027, 1, 1), 120_000),  # the new tariff from its first day
    (date(2031, 5, 5), 120_000),  # and for as long as it is open-ended
])
def test_the_tariff_in_force_on_the_day_is_used(on, total):
    assert price([rule(**OLD), rule(**NEW)], on=on).total == total


def test_before_any_tariff_there_is_a_clear_error():
    with pytest.raises(FeeError) as error:
        price([rule(**OLD), rule(**NEW)], on=date(2025, 12, 31))
    assert error.value.code == "no_rule"
    assert error.value.message == "No fee rule is in force on 31 December 2025."


# Rounding: one place, half-up, per line.


@pytest.mark.parametrize(("exact", "whole"), [
    ("2.5", 3), ("3.5", 4),  # half-up, not half-to-even
    ("2.4999", 2), ("1807500.5", 1_807_501), ("0.5", 1), ("0", 0),
])
def test_round_rupiah_is_half_up(exact, whole):
    assert round_rupiah(Decimal(exact)) == whole


def test_each_line_is_rounded_and_the_total_is_their_sum():
    # 0,5 m² × Rp 3 = Rp 1,5 on each of two lines: Rp 2 + Rp 2, not round(Rp 3,0).
    rules = [rule(FeeKind.PER_UNIT, rate=3, field_key="floor_area", position=1),
             rule(FeeKind.PER_UNIT, rate=3, field_key="area", position=2)]
    breakdown = price(rules, {"floor_area": 0.5, "area": 0.5})
    assert [line.amount for line in breakdown.lines] == [2, 2]
    assert breakdown.total == 4


def test_amounts_are_whole_rupiah_integers():
    breakdown = price([rule(**PBG)], {"floor_area": 33.33, "building_function": "usaha"})
    assert breakdown.lines[0].amount == 499_950  # 33,33 × 10.000 × 1,5 = 499.950 exactly
    odd = price([rule(**PBG)], {"floor_area": 0.00333, "building_function": "usaha"})
    assert odd.lines[0].amount == 50  # 49,95 → 50
    assert all(isinstance(line.amount, int) for line in odd.lines)


# Answers that are missing or wrong: a message the applicant can act on, never a crash.


@pytest.mark.parametrize("answers", [{}, {"floor_area": None}, {"floor_area": ""}])
def test_a_missing_answer_names_the_question(answers):
    with pytest.raises(FeeError) as error:
        price([rule(**PBG)], {**answers, "building_function": "usaha"})
    assert error.value.code == "missing_answer"
    assert error.value.field_key == "floor_area"
    assert error.value.message == "Answer “Floor area” to calculate the fee."


def test_a_missing_choice_for_the_index_names_the_question():
    with pytest.raises(FeeError) as error:
        price([rule(**PBG)], {"floor_area": 100})
    assert error.value.code == "missing_answer"
    assert "Building function" in error.value.message


@pytest.mark.parametrize("value", ["banyak", -5, True, {"street": "x"}, "NaN", "Infinity"])
def test_a_number_that_is_not_one_is_refused_clearly(value):
    with pytest.raises(FeeError) as error:
        price([rule(**PBG)], {"floor_area": value, "building_function": "usaha"})
    assert error.value.code == "invalid_answer"
    assert error.value.message == (
        "“Floor area” must be a number of zero or more to calculate the fee.")


def test_a_numeric_string_is_read_as_a_number():
    assert price([rule(**PBG)], {"floor_area": "120.5", "building_function": "usaha"}
                 ).total == 1_807_500


def test_a_choice_without_an_index_is_refused_clearly():
    with pytest.raises(FeeError) as error:
        price([rule(**PBG)], {"floor_area": 10, "building_function": "gudang"})
    assert error.value.code == "invalid_answer"
    assert error.value.message == (
        "There is no fee index for the answer “gudang” to “Building function”.")


@pytest.mark.parametrize("broken", [
    dict(kind=FeeKind.PER_UNIT, rate=10_000, field_key="no_such_field"),
    dict(kind=FeeKind.PER_UNIT, rate=None, field_key="floor_area"),
    dict(kind=FeeKind.FLAT, amount=None),
    dict(kind=FeeKind.TIERED, field_key="floor_area", tiers=[{"up_to": 10, "amount": 1}]),
    dict(kind="unknown"),
])
def test_a_rule_set_up_wrongly_is_an_error_for_the_office_not_a_crash(broken):
    with pytest.raises(FeeError) as error:
        price([rule(**broken)], {"floor_area": 50})
    assert error.value.code == "misconfigured"
    assert "licensing office" in error.value.message


# The catalogue: a rule in words.


def test_rules_in_words():
    with translation.override("en"):
        assert rule_in_words(rule(amount=150_000), FIELDS) == "Rp 150.000"
        assert rule_in_words(rule(**PBG), FIELDS) == (
            "Rp 10.000 per m² of Floor area × index by Building function: Residential 1; "
            "Business 1.5")
        assert rule_in_words(rule(FeeKind.AREA_MONTHS, rate=25_000, field_key="area",
                                  second_field_key="duration"), FIELDS) == (
            "Rp 25.000 × Advertising area (m²) × Duration (bulan)")
        assert rule_in_words(rule(FeeKind.TIERED, field_key="floor_area", tiers=TIERS),
                             FIELDS) == (
            "By Floor area: up to 100 m²: Rp 500.000; up to 500 m²: Rp 5.000 per m²; "
            "over 500 m²: Rp 4.000 per m²")

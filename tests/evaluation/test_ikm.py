"""The satisfaction index against the regulation's method, worked by hand here."""

from datetime import date
from decimal import Decimal

import pytest

from evaluation.ikm import grade_of, ikm_for
from evaluation.measures import median, percentile, share_of
from evaluation.models import ELEMENTS, SurveyResponse
from tests.factories import PermitTypeFactory

pytestmark = pytest.mark.django_db


def answer(permit_type, scores, on=date(2027, 3, 10)):
    return SurveyResponse.objects.create(
        permit_type=permit_type, answered_on=on,
        **dict(zip([name for name, _label in ELEMENTS], scores, strict=True)))


def test_the_index_of_a_worked_example():
    # Four answers. Per element, the sums are 13, 12, 10, 14, 12, 15, 16, 9, 11 (of 4 answers),
    # so the averages are 3.25, 3, 2.5, 3.5, 3, 3.75, 4, 2.25, 2.75; weighted by 1/9 and added:
    # 28 / 9 = 3.1111…; × 25 = 77.78: grade B (76.61 to 88.30).
    kind = PermitTypeFactory()
    answer(kind, [4, 3, 3, 4, 3, 4, 4, 2, 3])
    answer(kind, [3, 3, 2, 4, 3, 4, 4, 2, 3])
    answer(kind, [3, 3, 3, 3, 3, 3, 4, 3, 2])
    answer(kind, [3, 3, 2, 3, 3, 4, 4, 2, 3])
    answer(PermitTypeFactory(), [1] * 9)  # another type
    answer(kind, [1] * 9, on=date(2027, 4, 1))  # another month

    result = ikm_for(start=date(2027, 3, 1), end=date(2027, 4, 1), permit_type=kind)

    assert result.responses == 4
    assert result.element_averages["requirements"] == Decimal("3.25")
    assert result.element_averages["complaints"] == Decimal("2.25")
    assert abs(result.index - Decimal(28) / 9) < Decimal("0.000001")
    assert result.converted == Decimal("77.78")
    assert result.grade == "B"


@pytest.mark.parametrize(("converted", "grade"), [
    ("100", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
    ("65.00", "C"), ("64.99", "D"), ("25", "D"),
])
def test_the_grade_boundaries_of_the_regulation(converted, grade):
    assert grade_of(Decimal(converted))[0] == grade


def test_no_answers_is_no_index_rather_than_zero():
    assert ikm_for(start=date(2027, 3, 1), end=date(2027, 4, 1)) is None


def test_the_order_statistics():
    assert median([5, 1, 3]) == 3
    assert median([4, 1, 3, 2]) == Decimal("2.5")
    assert median([]) is None
    days = list(range(1, 21))  # 1 … 20
    assert percentile(days, 95) == 19
    assert percentile([7], 95) == 7
    assert share_of(2, 3) == Decimal("66.7")
    assert share_of(0, 0) is None

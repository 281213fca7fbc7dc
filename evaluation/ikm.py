"""The community satisfaction index (Indeks Kepuasan Masyarakat, IKM) as PermenPAN-RB 14/2017
defines it (Lampiran, "Pengolahan data"):

- each element's average score (nilai rata-rata, NRR) = the sum of its scores / the answers;
- the weighted average (NRR tertimbang) = NRR × its weight, the same for all nine: 1/9;
- the unit's index = the sum of the weighted averages (1 to 4), shown converted × 25 (25 to 100);
- the quality of service (mutu pelayanan) by the converted index: 88.31 to 100 A (sangat baik),
  76.61 to 88.30 B (baik), 65.00 to 76.60 C (kurang baik), 25.00 to 64.99 D (tidak baik).

Computed in the database (one query, however many answers), rounded only for display."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, QuerySet
from django.utils.translation import gettext_lazy as _

from evaluation.models import ELEMENTS, SurveyResponse

WEIGHT = Decimal(1) / Decimal(len(ELEMENTS))
CONVERSION = Decimal(25)
# The lowest converted index of each grade, best first.
GRADES = (
    (Decimal("88.31"), "A", _("Very good")),
    (Decimal("76.61"), "B", _("Good")),
    (Decimal("65.00"), "C", _("Not good enough")),
    (Decimal("25.00"), "D", _("Not good")),
)


@dataclass(frozen=True)
class Ikm:
    responses: int
    element_averages: dict[str, Decimal]  # NRR per element, unrounded
    index: Decimal  # 1 to 4, unrounded
    converted: Decimal  # 25 to 100, two decimals
    grade: str
    grade_label: str


def grade_of(converted: Decimal) -> tuple[str, str]:
    for lowest, grade, label in GRADES:
        if converted >= lowest:
            return grade, str(label)
    return GRADES[-1][1], str(GRADES[-1][2])


def ikm_of(responses: QuerySet[SurveyResponse]) -> Ikm | None:
    """The index of these answers; None when there are none (no index, not a zero)."""
    row = responses.aggregate(count=Count("pk"),
                              **{name: Avg(name) for name, _label in ELEMENTS})
    if not row["count"]:
        return None
    averages = {name: Decimal(str(row[name])) for name, _label in ELEMENTS}
    index = sum((average * WEIGHT for average in averages.values()), Decimal(0))
    converted = (index * CONVERSION).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    grade, label = grade_of(converted)
    return Ikm(responses=row["count"], element_averages=averages, index=index,
               converted=converted, grade=grade, grade_label=label)


def ikm_for(*, start: date, end: date, permit_type=None) -> Ikm | None:
    """The index of the answers given from ``start`` up to, not including, ``end``."""
    responses = SurveyResponse.objects.filter(answered_on__gte=start, answered_on__lt=end)
    if permit_type is not None:
        responses = responses.filter(permit_type=permit_type)
    return ikm_of(responses)

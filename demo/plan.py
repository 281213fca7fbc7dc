"""What the demo's treasury month holds: the businesses, and every bill with what became of it.

The plan is drawn from a fixed random seed and counted back from ``today``, so the same day
gives the same month. Ordinary bills are issued on working days, two or three a day; most are
paid online within a few days, some at a bank counter, the rest are outstanding or expired.
A few bills carry the cases the treasury exists for (over-, under- and double payment, a payment
the gateway holds back, a payment after the bill expired), all in the last two weeks, so the
month's first half is clean and can be closed.
"""

import random
from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.utils import timezone

from licensing.models import Kecamatan

SEED = 1471  # Pekanbaru's area code: any fixed number makes the month repeatable
MONTH_DAYS = 30
# Days at least this old hold no exception and are closed; the later ones stay open.
CLOSED_FROM_DAYS_AGO = 15


class Outcome(StrEnum):
    ONLINE = "online"
    COUNTER = "counter"
    UNPAID = "unpaid"  # outstanding while its due date lasts, expired after


class Case(StrEnum):
    """The treasury's cases, one bill each."""

    OVERPAID = "overpaid"
    UNDERPAID = "underpaid"
    DUPLICATE = "duplicate"
    HELD = "held"  # the gateway never settles it
    LATE = "late"  # paid online after the bill expired


@dataclass(frozen=True)
class DemoBusiness:
    nib: str
    legal_name: str
    npwp: str
    street_address: str
    kecamatan: str
    kelurahan: str
    kbli_codes: tuple[str, ...]
    permit_types: tuple[str, ...]


BUSINESSES = (
    DemoBusiness("9120205318842", "PT Riau Graha Properti", "021356789216000",
                 "Jl. Arifin Ahmad No. 88", Kecamatan.MARPOYAN_DAMAI, "Sidomulyo Timur",
                 ("41011",), ("PBG",)),
    DemoBusiness("8120117462093", "CV Media Reklame Lancang Kuning", "031456782216000",
                 "Jl. Tuanku Tambusai No. 41", Kecamatan.PAYUNG_SEKAKI, "Labuh Baru Timur",
                 ("73100",), ("REKLAME",)),
    DemoBusiness("9120310927461", "PT Sinar Siak Swalayan", "041567893216000",
                 "Jl. HR Soebrantas No. 160", Kecamatan.TUAH_MADANI, "Sidomulyo Barat",
                 ("47111",), ("REKLAME", "PBG")),
    DemoBusiness("8120422561307", "CV Kopi Kawa Senapelan", "051678904216000",
                 "Jl. Riau No. 12", Kecamatan.SENAPELAN, "Padang Terubuk",
                 ("56303",), ("REKLAME",)),
)

PLACES = (
    ("Jl. Jenderal Sudirman", "Sukaramai", Kecamatan.PEKANBARU_KOTA),
    ("Jl. Tuanku Tambusai", "Labuh Baru Timur", Kecamatan.PAYUNG_SEKAKI),
    ("Jl. HR Soebrantas", "Sidomulyo Barat", Kecamatan.TUAH_MADANI),
    ("Jl. Arifin Ahmad", "Sidomulyo Timur", Kecamatan.MARPOYAN_DAMAI),
    ("Jl. Riau", "Padang Terubuk", Kecamatan.SENAPELAN),
    ("Jl. Harapan Raya", "Tangkerang Labuai", Kecamatan.BUKIT_RAYA),
    ("Jl. Yos Sudarso", "Umban Sari", Kecamatan.RUMBAI),
    ("Jl. Diponegoro", "Suka Mulia", Kecamatan.SAIL),
)
AD_TEXTS = ("Promo Akhir Tahun", "Kopi Kawa Asli Senapelan", "Grand Opening Cabang Baru",
            "Perumahan Graha Sail Asri", "Diskon Seragam Sekolah", "Buka 24 Jam")


@dataclass(frozen=True)
class PlannedBill:
    code: str  # permit type
    business: DemoBusiness
    answers: dict
    issued_at: datetime
    outcome: Outcome
    case: Case | None = None
    method: str = ""  # online: card, va or qris
    paid_at: datetime | None = None  # online: when the gateway took the money
    booked_on: date | None = None  # counter: the bank's booking date
    difference: int = 0  # paid minus billed (over- or under-payment)
    second_method: str = ""  # a duplicate's second payment
    second_paid_at: datetime | None = None


@dataclass(frozen=True)
class ForeignCharge:
    """A charge at the gateway that is none of Izin's payments."""

    amount: int
    method: str
    at: datetime


def moment(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _address(rng: random.Random) -> dict:
    street, kelurahan, kecamatan = rng.choice(PLACES)
    return {"street": f"{street} No. {rng.randint(1, 250)}", "kelurahan": kelurahan,
            "kecamatan": str(kecamatan)}


def _answers(code: str, rng: random.Random) -> dict:
    if code == "PBG":
        area = rng.choice((36, 45, 54, 72, 90, 120, 150, 180, 240, 320, 450))
        return {"building_function": rng.choice(("hunian", "hunian", "usaha", "sosial_budaya")),
                "floor_area": area, "floors": rng.randint(1, 3),
                "land_area": area + rng.randint(20, 200), "location": _address(rng)}
    return {"billboard_kind": rng.choice(("papan", "baliho", "neon_box", "videotron", "spanduk")),
            "area": rng.choice((1, 2, 3, 4.5, 6, 8, 12, 18, 24)), "faces": rng.randint(1, 2),
            "duration": rng.choice((1, 3, 6, 12)), "location": _address(rng),
            "ad_text": rng.choice(AD_TEXTS)}


def _business_for(code: str, rng: random.Random) -> DemoBusiness:
    return rng.choice([b for b in BUSINESSES if code in b.permit_types])


def _next_working_day(day: date, closed: set[date]) -> date:
    while day.weekday() >= 5 or day in closed:
        day += timedelta(days=1)
    return day


def _ordinary(day: date, today: date, closed: set[date], rng: random.Random) -> PlannedBill:
    code = rng.choice(("REKLAME", "REKLAME", "REKLAME", "PBG", "PBG"))
    bill = {"code": code, "business": _business_for(code, rng), "answers": _answers(code, rng),
            "issued_at": moment(day, rng.randint(8, 14), rng.randint(0, 59))}
    draw = rng.random()
    if draw < 0.72:
        paid_on = day + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3)))
        paid_at = max(moment(paid_on, rng.randint(7, 21), rng.randint(0, 59)),
                      bill["issued_at"] + timedelta(minutes=rng.randint(20, 90)))
        if paid_at.date() < today:
            return PlannedBill(**bill, outcome=Outcome.ONLINE, paid_at=paid_at,
                               method=rng.choice(("card", "va", "va", "qris")))
    elif draw < 0.84:
        booked_on = _next_working_day(day + timedelta(days=rng.randint(1, 3)), closed)
        if booked_on < today:
            return PlannedBill(**bill, outcome=Outcome.COUNTER, booked_on=booked_on)
    return PlannedBill(**bill, outcome=Outcome.UNPAID)


def _cases(today: date, rng: random.Random) -> list[PlannedBill]:
    def ago(days: int, hour: int, minute: int = 0) -> datetime:
        return moment(today - timedelta(days=days), hour, minute)

    def bill(code: str, issued_days_ago: int, **fields) -> PlannedBill:
        return PlannedBill(code=code, business=_business_for(code, rng),
                           answers=_answers(code, rng), issued_at=ago(issued_days_ago, 10),
                           **fields)

    return [
        # A virtual-account transfer of more than the bill: an SKRDLB refunds the excess.
        bill("REKLAME", 13, outcome=Outcome.ONLINE, case=Case.OVERPAID, method="va",
             paid_at=ago(12, 14, 10), difference=50_000),
        bill("REKLAME", 11, outcome=Outcome.ONLINE, case=Case.DUPLICATE, method="card",
             paid_at=ago(10, 9, 40), second_method="qris", second_paid_at=ago(9, 16, 20)),
        bill("PBG", 10, outcome=Outcome.ONLINE, case=Case.HELD, method="card",
             paid_at=ago(8, 11, 5)),
        # Less than the bill: the bill stays open and the transfer goes back in full.
        bill("PBG", 7, outcome=Outcome.ONLINE, case=Case.UNDERPAID, method="va",
             paid_at=ago(6, 13, 30), difference=-100_000),
        # Due 14 days after issue, so it expired six days ago; paid three days ago.
        bill("REKLAME", 20, outcome=Outcome.ONLINE, case=Case.LATE, method="va",
             paid_at=ago(3, 10, 15)),
    ]


def month_plan(*, today: date, holidays: Container[date]) -> list[PlannedBill]:
    """Every bill of the month before ``today``, in the order they were issued."""
    rng = random.Random(SEED)  # noqa: S311 (demo data, not cryptography)
    bills = []
    for days_ago in range(MONTH_DAYS, 0, -1):
        day = today - timedelta(days=days_ago)
        if day.weekday() >= 5 or day in holidays:
            continue
        for _ in range(rng.choice((2, 3, 3))):
            bills.append(_ordinary(day, today, holidays, rng))
    bills += _cases(today, rng)
    return sorted(bills, key=lambda bill: bill.issued_at)


def foreign_charge(*, today: date) -> ForeignCharge:
    return ForeignCharge(amount=735_000, method="card",
                         at=moment(today - timedelta(days=7), 15, 45))

"""The treasury's books for the finance system: ledger entries, closed days, the SIPKD file."""

import pytest
from django.db.models import Sum

from tests.treasury.test_sipkd_export import closed_books, parse  # noqa: F401 (a fixture)
from treasury.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_closed_days_and_their_files(api_caller, closed_books):  # noqa: F811
    caller = api_caller("treasury")
    first, second, day = closed_books["first"], closed_books["second"], closed_books["day"]
    listed = caller.get("/api/v1/treasury/daily-closes/").json()["results"]
    assert [(item["day"], item["sts_number"], item["total"]) for item in listed] == [
        (second.day.isoformat(), second.sts_number, second.total),
        (day.isoformat(), first.sts_number, first.total)]
    detail = caller.get(f"/api/v1/treasury/daily-closes/{day.isoformat()}/").json()
    assert detail["entry_count"] == first.entry_count

    csv_file = caller.get(f"/api/v1/treasury/daily-closes/{day.isoformat()}/sipkd.csv")
    assert csv_file.status_code == 200
    assert csv_file["Content-Type"] == "text/csv; charset=utf-8"
    _header, rows, trailer = parse(csv_file.content)
    assert sum(int(row["jumlah"]) for row in rows) == int(trailer[2]) == first.total

    assert caller.get("/api/v1/treasury/daily-closes/2001-01-01/").status_code == 404
    bad = caller.get("/api/v1/treasury/daily-closes/yesterday/")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_date"


def test_the_ledger_of_a_day_sums_to_its_close(api_caller, closed_books):  # noqa: F811
    caller = api_caller("treasury")
    day = closed_books["day"]
    entries, url = [], "/api/v1/treasury/ledger/"
    params = {"day": day.isoformat(), "page_size": 2}
    while url:
        page = caller.client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {caller.raw}").json()
        entries += page["results"]
        url, params = page["next"], {}
    assert len({entry["id"] for entry in entries}) == len(entries) == \
        LedgerEntry.objects.filter(book_day=day).count()
    assert sum(entry["amount"] for entry in entries) == \
        LedgerEntry.objects.filter(book_day=day).aggregate(total=Sum("amount"))["total"] == \
        closed_books["first"].total


def test_other_scopes_read_no_books(api_caller, closed_books):  # noqa: F811
    caller = api_caller("catalogue", "applications", "permits", "oss")
    for path in ["/api/v1/treasury/ledger/", "/api/v1/treasury/daily-closes/",
                 f"/api/v1/treasury/daily-closes/{closed_books['day'].isoformat()}/sipkd.csv"]:
        assert caller.get(path).status_code == 403

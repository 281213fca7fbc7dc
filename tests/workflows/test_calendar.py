from datetime import date

from workflows.calendar import add_working_days, is_working_day

# 2026-08-17 (Monday) is Independence Day.
HOLIDAYS = {date(2026, 8, 17)}


def test_weekend_is_skipped():
    friday = date(2026, 8, 7)
    assert add_working_days(friday, 1, set()) == date(2026, 8, 10)


def test_holiday_is_skipped():
    friday = date(2026, 8, 14)
    assert add_working_days(friday, 1, HOLIDAYS) == date(2026, 8, 18)


def test_start_day_does_not_count():
    monday = date(2026, 8, 3)
    assert add_working_days(monday, 5, set()) == date(2026, 8, 10)


def test_zero_days_is_the_same_day():
    assert add_working_days(date(2026, 8, 3), 0, set()) == date(2026, 8, 3)


def test_is_working_day():
    assert is_working_day(date(2026, 8, 18), HOLIDAYS)
    assert not is_working_day(date(2026, 8, 17), HOLIDAYS)
    assert not is_working_day(date(2026, 8, 15), HOLIDAYS)

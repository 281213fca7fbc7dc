"""Working days for SLAs: Monday to Friday, less national holidays and collective leave."""

from collections.abc import Container
from datetime import date, timedelta


def add_working_days(start: date, days: int, holidays: Container[date]) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


def is_working_day(day: date, holidays: Container[date]) -> bool:
    return day.weekday() < 5 and day not in holidays

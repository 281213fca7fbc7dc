"""The office's working days and hours, which every legal deadline is counted in.

A working day is Monday to Friday, less Indonesia's national holidays and collective leave (cuti
bersama) as the maintained ``holidays`` library knows them, less the closures the administrator
adds (a regional holiday, an office closed for a day), plus the days the administrator reopens
(a holiday the government cancelled). Times are the office's: ``settings.TIME_ZONE``
(Asia/Jakarta) and ``OFFICE_OPENS_AT`` to ``OFFICE_CLOSES_AT``.

Counting follows the usual reading of a service standard: the day an application is received
does not count, one received after closing time or on a day off counts as received on the next
working day, and a deadline falls at closing time of its last day.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays as holiday_library
from django.conf import settings
from django.utils import timezone

from workflows.models import CalendarDay

# Holidays and collective leave: the library's two Indonesian categories.
CATEGORIES = ("public", "government")


@lru_cache(maxsize=32)
def national_days_off(year: int) -> dict[date, str]:
    """Indonesia's holidays and collective leave of one year, in Indonesian."""
    days = holiday_library.country_holidays(
        "ID", years=year, categories=CATEGORIES, language="id"
    )
    return {day: name for day, name in days.items() if day.year == year}


def _clock(value: str) -> time:
    hours, _colon, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))


@dataclass
class OfficeCalendar:
    """Working days with the administrator's changes (``CalendarDay`` rows) applied."""

    closed: dict[date, str] = field(default_factory=dict)  # added days off, with their reason
    reopened: set[date] = field(default_factory=set)  # national days off the office works
    opens_at: time = field(default_factory=lambda: _clock(settings.OFFICE_OPENS_AT))
    closes_at: time = field(default_factory=lambda: _clock(settings.OFFICE_CLOSES_AT))

    def day_off_name(self, day: date) -> str:
        """Why ``day`` is not a working day ("" if it is one)."""
        if day in self.closed:
            return self.closed[day]
        if day in self.reopened:
            return ""
        if name := national_days_off(day.year).get(day):
            return name
        return "Sabtu" if day.weekday() == 5 else "Minggu" if day.weekday() == 6 else ""

    def is_working_day(self, day: date) -> bool:
        return not self.day_off_name(day)

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        return self.add_working_days(day, 1)

    def add_working_days(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
        current = start
        while days > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                days -= 1
        return current

    def subtract_working_days(self, end: date, days: int) -> date:
        """The working day that is ``days`` working days before ``end`` (``end`` for 0)."""
        current = end
        while days > 0:
            current -= timedelta(days=1)
            if self.is_working_day(current):
                days -= 1
        return current

    def working_days_after(self, start: date, end: date) -> int:
        """How many working days lie after ``start`` up to and including ``end`` (0 if none)."""
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def received_on(self, moment: datetime) -> date:
        """The day a thing received at ``moment`` counts as received: that day if the office is
        open then or still opens that day, else the next working day."""
        local = timezone.localtime(moment)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.closes_at:
            return day
        return self.next_working_day(day)

    def opening(self, day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, self.opens_at))

    def closing(self, day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, self.closes_at))

    def due_at(self, moment: datetime, days: int) -> datetime:
        """Closing time of the ``days``-th working day after the one ``moment`` counts for."""
        return self.closing(self.add_working_days(self.received_on(moment), days))

    def days_left(self, moment: datetime, due: datetime) -> int:
        """Working days still left at ``moment`` until ``due``: the day of ``moment`` counts as
        used, so a clock stopped today and resumed later keeps the days after today. Negative
        when ``due`` has passed (the working days since)."""
        today = self.received_on(moment)
        due_day = timezone.localtime(due).date()
        if due_day >= today:
            return self.working_days_after(today, due_day)
        return -self.working_days_after(due_day, today)


def office_calendar() -> OfficeCalendar:
    """The calendar as the administrator keeps it now. One small query; build it once per use
    (a request, a sweep) rather than once per date."""
    calendar = OfficeCalendar()
    for day in CalendarDay.objects.all():
        if day.is_closed:
            calendar.closed[day.date] = day.name
        else:
            calendar.reopened.add(day.date)
    return calendar

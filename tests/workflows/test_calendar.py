"""The working-day calendar: weekends, national holidays and collective leave from the holidays
library, the administrator's closures and reopened days, office hours in Asia/Jakarta; and the
due times of review tasks counted in it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import PermitTypeFactory, UserFactory
from tests.lifecycle import submitted
from workflows import services as review
from workflows.calendar import OfficeCalendar, national_days_off, office_calendar
from workflows.models import CalendarDay, ReviewTask

WIB = ZoneInfo("Asia/Jakarta")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def test_national_holidays_and_collective_leave_come_from_the_library():
    days = national_days_off(2026)
    assert "Kemerdekaan" in days[date(2026, 8, 17)]
    assert days[date(2026, 12, 24)].startswith("Cuti Bersama")
    # SKB 3 Menteri 2026: 17 national holidays and 8 days of collective leave.
    assert len(days) == 25
    assert sum(name.startswith("Cuti Bersama") for name in days.values()) == 8


def test_weekends_holidays_and_collective_leave_are_not_working_days():
    calendar = OfficeCalendar()
    assert calendar.is_working_day(date(2026, 8, 18))  # Tuesday
    assert not calendar.is_working_day(date(2026, 8, 15))  # Saturday
    assert not calendar.is_working_day(date(2026, 8, 17))  # Independence Day (Monday)
    assert not calendar.is_working_day(date(2026, 12, 24))  # collective leave (Thursday)


def test_counting_skips_weekends_holidays_and_collective_leave():
    calendar = OfficeCalendar()
    # Friday 14 August + 1: the weekend and Monday 17 August are skipped.
    assert calendar.add_working_days(date(2026, 8, 14), 1) == date(2026, 8, 18)
    # Wednesday 23 December + 2: Thursday 24 (cuti bersama) and Friday 25 (Christmas) are off,
    # then the weekend: Monday 28 and Tuesday 29.
    assert calendar.add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 29)
    assert calendar.add_working_days(date(2026, 8, 3), 0) == date(2026, 8, 3)
    assert calendar.subtract_working_days(date(2026, 8, 18), 2) == date(2026, 8, 13)


@pytest.mark.django_db
def test_the_administrator_adds_a_closure_and_reopens_a_cancelled_holiday():
    CalendarDay.objects.create(date=date(2026, 8, 19), name="Hari Jadi Kota Pekanbaru")
    CalendarDay.objects.create(date=date(2026, 8, 17), is_closed=False, name="Dibatalkan")
    calendar = office_calendar()

    assert not calendar.is_working_day(date(2026, 8, 19))
    assert calendar.day_off_name(date(2026, 8, 19)) == "Hari Jadi Kota Pekanbaru"
    assert calendar.is_working_day(date(2026, 8, 17))
    # Friday 14 + 3: Monday 17 (reopened), Tuesday 18, then Thursday 20 (Wednesday is closed).
    assert calendar.add_working_days(date(2026, 8, 14), 3) == date(2026, 8, 20)


def test_office_hours_decide_the_day_something_counts_as_received():
    calendar = OfficeCalendar()
    assert calendar.received_on(at(2026, 8, 18, 15, 59)) == date(2026, 8, 18)
    # After closing: the next working day.
    assert calendar.received_on(at(2026, 8, 18, 16, 0)) == date(2026, 8, 19)
    # Saturday, and a holiday: the next working day.
    assert calendar.received_on(at(2026, 8, 15, 10, 0)) == date(2026, 8, 18)
    # Times are the office's: 23:30 UTC on Monday is 06:30 on Tuesday in Pekanbaru.
    assert calendar.received_on(datetime(2026, 8, 17, 23, 30, tzinfo=ZoneInfo("UTC"))) == (
        date(2026, 8, 18))


def test_a_deadline_falls_at_closing_time_of_its_last_working_day():
    calendar = OfficeCalendar()
    # Received Friday 14 August at 10:00; five working days: 18, 19, 20, 21, 24.
    assert calendar.due_at(at(2026, 8, 14, 10), 5) == at(2026, 8, 24, 16, 0)
    # Received after closing on Friday: counts from Tuesday 18 (Monday is a holiday), and
    # Tuesday 25 is the Prophet's Birthday: 19, 20, 21, 24, 26.
    assert calendar.due_at(at(2026, 8, 14, 17), 5) == at(2026, 8, 26, 16, 0)


def test_days_left_count_the_day_in_hand_as_used():
    calendar = OfficeCalendar()
    due = at(2026, 8, 24, 16)
    assert calendar.days_left(at(2026, 8, 19, 9), due) == 3  # 20, 21, 24
    assert calendar.days_left(at(2026, 8, 24, 9), due) == 0
    assert calendar.days_left(at(2026, 8, 27, 9), due) == -2  # 26, 27 (25 is a holiday)


# Review tasks are due after their step's SLA, counted from when the step opens.


@pytest.mark.django_db
def test_a_task_is_due_after_its_steps_sla_skipping_holidays_and_an_added_closure():
    CalendarDay.objects.create(date=date(2026, 8, 20), name="Kantor tutup")
    permit_type = PermitTypeFactory(steps=["agency_a"])
    permit_type.review_steps.update(sla_working_days=3)
    with time_machine.travel(at(2026, 8, 14, 10), tick=False):
        application, _owner = submitted(permit_type=permit_type)

    # Friday 14 + 3: Tuesday 18, Wednesday 19, (Thursday 20 closed) Friday 21.
    assert ReviewTask.objects.get(application=application).due_at == at(2026, 8, 21, 16)


@pytest.mark.django_db
def test_the_next_step_is_due_counted_from_the_moment_it_opens():
    permit_type = PermitTypeFactory(steps=["agency_a", "agency_b"])
    permit_type.review_steps.update(sla_working_days=2)
    with time_machine.travel(at(2026, 12, 21, 9), tick=False):
        application, _owner = submitted(permit_type=permit_type)
    with time_machine.travel(at(2026, 12, 23, 17), tick=False):  # Wednesday, after closing
        review.task_decide(task=ReviewTask.objects.get(application=application),
                           actor=UserFactory(groups=["agency_a"]), decision="approve")

    second = ReviewTask.objects.get(application=application, group__name="agency_b")
    # Counted from Monday 28 (24 and 25 are off, then the weekend): due Wednesday 30.
    assert second.due_at == at(2026, 12, 30, 16)

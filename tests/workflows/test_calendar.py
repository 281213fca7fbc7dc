from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import PermitTypeFactory, UserFactory
from tests.lifecycle import submitted
from workflows import services as review
from workflows.calendar import add_working_days, is_working_day
from workflows.models import Holiday, ReviewTask

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


# Due dates of review tasks, counted from the day a step opens.


def _weekdays_from(start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


@pytest.mark.django_db
def test_a_task_is_due_after_its_steps_sla_in_working_days_skipping_holiday_rows():
    """Every day of the next four weeks is a holiday except two weekdays: a two-day SLA can only
    end on the second of them."""
    today = timezone.localdate()
    first_open, second_open = _weekdays_from(today + timedelta(days=8), 2)
    for offset in range(1, 29):
        day = today + timedelta(days=offset)
        if day not in (first_open, second_open):
            Holiday.objects.create(date=day, name=f"Libur {offset}")
    permit_type = PermitTypeFactory(steps=["agency_a"])
    permit_type.review_steps.update(sla_working_days=2)

    application, _owner = submitted(permit_type=permit_type)

    assert ReviewTask.objects.get(application=application).due_date == second_open


@pytest.mark.django_db
def test_without_holidays_only_weekends_are_skipped():
    today = timezone.localdate()
    permit_type = PermitTypeFactory(steps=["agency_a"])
    permit_type.review_steps.update(sla_working_days=5)

    application, _owner = submitted(permit_type=permit_type)

    assert ReviewTask.objects.get(application=application).due_date == _weekdays_from(
        today + timedelta(days=1), 5
    )[-1]


@pytest.mark.django_db
def test_the_next_step_is_due_counted_from_the_day_it_opens():
    today = timezone.localdate()
    Holiday.objects.create(date=_weekdays_from(today + timedelta(days=1), 1)[0], name="Nyepi")
    permit_type = PermitTypeFactory(steps=["agency_a", "agency_b"])
    application, _owner = submitted(permit_type=permit_type)
    review.task_decide(task=ReviewTask.objects.get(application=application),
                       actor=UserFactory(groups=["agency_a"]), decision="approve")

    second = ReviewTask.objects.get(application=application, group__name="agency_b")
    # Three working days after today, the first of which is the holiday: the fourth weekday.
    assert second.due_date == _weekdays_from(today + timedelta(days=1), 4)[-1]

"""The complaints of a month, as the monthly evaluation reads them, against a month worked out
by hand (March 2027: Nyepi and Idul Fitri close the office from 8 to 15 March)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from evaluation.complaint_selectors import complaint_counts
from evaluation.complaints import complaint_answer, complaint_file, complaint_file_anonymous
from licensing import roles
from tests.evaluation.feedback_support import rejected_application
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def at(*moment):
    return time_machine.travel(datetime(*moment, tzinfo=WIB), tick=False)


def test_a_hand_built_month():
    head = UserFactory(groups=[roles.HEAD_OF_OFFICE])
    application, owner = rejected_application()

    def filed(moment, *, about_application=True):
        with at(*moment):
            if about_application:
                return complaint_file(application=application, actor=owner, body="Keluhan")
            return complaint_file_anonymous(body="Keluhan")

    def answered(complaint, moment):
        with at(*moment):
            complaint_answer(complaint=complaint, actor=head, answer="Jawaban")

    # G: February's, never answered: still open at the end of March.
    filed((2027, 2, 10, 10))
    # A: February's, answered on Tue 2 March: Mon 1 and Tue 2 March, 2 working days.
    answered(filed((2027, 2, 26, 10)), (2027, 3, 2, 10))
    # B: Fri 5 March, answered Tue 16 March: 8 to 15 March are closed, so 1 working day.
    answered(filed((2027, 3, 5, 10)), (2027, 3, 16, 9))
    # C: Fri 5 March after closing (16:00): counts from Tue 16 March; answered Thu 18: 2.
    answered(filed((2027, 3, 5, 18)), (2027, 3, 18, 10))
    # D: anonymous, 22 March, answered in April: received in March and open at its end.
    answered(filed((2027, 3, 22, 9), about_application=False), (2027, 4, 2, 10))
    # E: anonymous, the last afternoon of March, never answered.
    filed((2027, 3, 31, 15), about_application=False)
    # F: half past midnight on 1 April in Pekanbaru (still 31 March in UTC): April's.
    filed((2027, 4, 1, 0, 30), about_application=False)

    counts = complaint_counts(start=date(2027, 3, 1), end=date(2027, 4, 1))

    assert counts == {
        "received": 4,  # B, C, D, E
        "answered": 3,  # A, B, C
        "open": 3,  # G, D, E
        "by_topic": {"application": 2, "service": 2},
        "median_working_days_to_answer": Decimal(2),  # of 2, 1, 2
    }


def test_a_month_without_complaints():
    assert complaint_counts(start=date(2027, 3, 1), end=date(2027, 4, 1)) == {
        "received": 0, "answered": 0, "open": 0,
        "by_topic": {"application": 0, "service": 0},
        "median_working_days_to_answer": None,
    }

"""Two answers to one invitation at the same moment, on PostgreSQL with real threads and row
locks: exactly one is kept."""

import pytest

from evaluation.models import SurveyInvitation, SurveyResponse
from evaluation.survey import survey_answer
from tests.evaluation.feedback_support import SCORES, rejected_application
from tests.workflows.test_concurrency import run_together
from workflows.machine import TransitionRefused

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_answers_at_once_keep_exactly_one():
    application, _owner = rejected_application()
    token = SurveyInvitation.objects.get(application=application).token

    outcomes = run_together(
        lambda: survey_answer(token=token, scores=SCORES, comment="satu", actor=None),
        lambda: survey_answer(token=token, scores={**SCORES, "time": 1}, comment="dua",
                              actor=None),
    )

    refused = [o for o in outcomes if isinstance(o, TransitionRefused)]
    assert len(refused) == 1, outcomes
    assert refused[0].code == "already_answered"
    kept = [o for o in outcomes if isinstance(o, SurveyResponse)]
    assert len(kept) == 1
    assert list(SurveyResponse.objects.values_list("pk", flat=True)) == [kept[0].pk]
    assert SurveyInvitation.objects.get(token=token).answered_at is not None

"""Answering the survey: once, anonymously, by the business's people or the e-mail's link."""

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation.models import SurveyInvitation, SurveyResponse
from evaluation.survey import QUESTIONS, survey_answer
from licensing import roles
from tests.evaluation.feedback_support import SCORES, rejected_application, survey_post
from tests.factories import BusinessFactory, UserFactory
from tests.portal import in_english
from tests.workflows.support import form_post
from workflows.machine import TransitionRefused

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def invitation():
    application, _owner = rejected_application()
    return SurveyInvitation.objects.select_related("application").get(application=application)


def test_the_questions_are_the_regulations_nine_elements_in_order():
    assert list(QUESTIONS) == ["requirements", "procedure", "time", "cost", "product",
                               "competence", "behaviour", "complaints", "facilities"]
    assert all(len(answers) == 4 for _question, answers in QUESTIONS.values())


def test_an_answer_keeps_the_permit_type_and_the_local_day_and_nothing_that_points_back(
        invitation, caplog):
    caplog.set_level(logging.INFO, logger="izin.evaluation")
    # 23:30 UTC on 31 March is already 1 April in Pekanbaru.
    with time_machine.travel(datetime(2027, 4, 1, 6, 30, tzinfo=WIB), tick=False):
        response = survey_answer(token=invitation.token, scores=SCORES,
                                 comment="  Cepat dan jelas.  ", actor=None)

    response.refresh_from_db()
    assert response.permit_type_id == invitation.application.permit_type_id
    assert response.answered_on == date(2027, 4, 1)
    assert (response.requirements, response.complaints, response.facilities) == (4, 2, 3)
    assert response.comment == "Cepat dan jelas."
    # No relation but the permit type: nothing on the answer leads to an application or person.
    relations = [f.name for f in SurveyResponse._meta.get_fields() if f.is_relation]
    assert relations == ["permit_type"]
    invitation.refresh_from_db()
    # The day only: the moment would line invitations up with the answers' ids.
    assert invitation.answered_at == datetime(2027, 4, 1, 0, 0, tzinfo=WIB)
    logged = " ".join(r.getMessage() for r in caplog.records if r.name == "izin.evaluation"
                      and "survey_answered" in r.getMessage())
    assert logged == f"survey_answered permit_type_id={response.permit_type_id}"


def test_a_second_answer_is_refused_and_stores_nothing(invitation):
    survey_answer(token=invitation.token, scores=SCORES, comment="", actor=None)
    with pytest.raises(TransitionRefused) as refused:
        survey_answer(token=invitation.token, scores={**SCORES, "time": 1}, comment="lagi",
                      actor=None)
    assert refused.value.code == "already_answered"
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().time == 3


@pytest.mark.parametrize("scores", [
    {**SCORES, "cost": 5}, {**SCORES, "cost": 0}, {**SCORES, "cost": "x"},
    {name: value for name, value in SCORES.items() if name != "facilities"},
])
def test_every_element_needs_a_score_of_one_to_four(invitation, scores):
    with pytest.raises(ValidationError):
        survey_answer(token=invitation.token, scores=scores, comment="", actor=None)
    assert not SurveyResponse.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_the_comment_is_bounded(invitation):
    with pytest.raises(ValidationError):
        survey_answer(token=invitation.token, scores=SCORES, comment="x" * 2001, actor=None)
    assert not SurveyResponse.objects.exists()


def test_the_office_cannot_answer_its_own_survey(invitation):
    with pytest.raises(TransitionRefused) as refused:
        survey_answer(token=invitation.token, scores=SCORES, comment="",
                      actor=UserFactory(groups=[roles.HEAD_OF_OFFICE]))
    assert refused.value.code == "permission_denied"
    assert not SurveyResponse.objects.exists()


# The pages.


def test_the_emails_link_shows_nine_questions_of_four_answers_without_login(client, invitation):
    page = in_english(client).get(reverse("feedback:survey_token", args=[invitation.token]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('type="radio"') == 9 * 4
    assert "Very appropriate" in html and "Well managed" in html and "Free" in html
    assert 'name="comment"' in html and 'maxlength="2000"' in html


def test_answering_by_the_link_then_again_is_refused_and_stores_nothing(client, invitation):
    url = reverse("feedback:survey_token", args=[invitation.token])
    first = form_post(in_english(client), url, survey_post(comment="Baik"))
    assert first.status_code == 302
    assert first["Location"] == reverse("feedback:survey_thanks")

    again = form_post(client, url, survey_post({**SCORES, "cost": 1}))
    assert again.status_code == 409
    assert "already answered" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().cost == 4
    # And the page itself says so now.
    assert "already answered" in client.get(url).content.decode()


def test_an_incomplete_answer_comes_back_with_the_error(client, invitation):
    url = reverse("feedback:survey_token", args=[invitation.token])
    data = survey_post()
    del data["time"]
    page = form_post(in_english(client), url, data)
    assert page.status_code == 200
    assert "Choose one answer." in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_an_unknown_token_is_not_found(client):
    assert client.get(reverse("feedback:survey_token", args=["x" * 32])).status_code == 404
    assert client.get("/feedback/survey/" + "y" * 65 + "/").status_code == 404


def test_the_business_answers_from_its_application_page(client, invitation):
    owner = invitation.application.business.members.get()
    client.force_login(owner)
    detail = in_english(client).get(reverse("application_detail",
                                            args=[invitation.application_id]))
    survey_url = reverse("feedback:survey_application", args=[invitation.application_id])
    assert survey_url in detail.content.decode()

    assert form_post(client, survey_url, survey_post()).status_code == 302
    assert SurveyResponse.objects.count() == 1
    # Answered: the page no longer offers it.
    detail = client.get(reverse("application_detail", args=[invitation.application_id]))
    assert survey_url not in detail.content.decode()


def test_another_businesss_people_get_not_found(client, invitation):
    stranger = UserFactory()
    BusinessFactory(owner=stranger)
    client.force_login(stranger)
    url = reverse("feedback:survey_application", args=[invitation.application_id])
    assert client.get(url).status_code == 404
    assert form_post(client, url, survey_post()).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_the_application_route_needs_a_login(client, invitation):
    url = reverse("feedback:survey_application", args=[invitation.application_id])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

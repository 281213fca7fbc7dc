"""The survey and the complaint pages on a 360-pixel phone, in Indonesian, in a real browser:
nothing scrolls sideways (however long a business's name or a complaint), each answer is a radio
button a thumb can choose, and every page passes the accessibility scan every e2e page passes
(tests/e2e/people.py)."""

import pytest
from django.urls import reverse

from evaluation.models import Complaint, SurveyInvitation, SurveyResponse
from evaluation.states import ComplaintTopic
from tests.e2e.browsing import log_in, press_main_button
from tests.e2e.test_business_pages_at_360 import LEGAL_NAME, PHONE, overflow
from tests.evaluation.feedback_support import SCORES, rejected_application
from tests.factories import BusinessFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_phone_answers_the_survey_from_the_emails_link(open_page):
    application, _owner = rejected_application()
    token = SurveyInvitation.objects.get(application=application).token
    page = open_page(**PHONE)

    page.goto(reverse("feedback:survey_token", args=[token]))
    assert overflow(page) is None
    for name, score in SCORES.items():
        page.locator(f'main input[type="radio"][name="{name}"][value="{score}"]').check()
    page.locator('main textarea[name="comment"]').fill("Pelayanan cepat, terima kasih.")
    press_main_button(page)

    page.wait_for_url(f"**{reverse('feedback:survey_thanks')}")
    assert overflow(page) is None
    response = SurveyResponse.objects.get()
    assert (response.requirements, response.complaints) == (4, 2)


def test_the_complaint_pages_fit_a_phone(open_page):
    owner = UserFactory(email="direktur.utama.pembangunan.perumahan@example.co.id")
    business = BusinessFactory(owner=owner, legal_name=LEGAL_NAME)
    application, _owner = rejected_application(owner=owner, business=business)
    page = open_page(**PHONE)
    page.goto(reverse("feedback:complaint_anonymous"))
    assert overflow(page) is None

    log_in(page, owner)
    page.goto(reverse("feedback:complaint_new") + f"?application={application.pk}")
    assert overflow(page) is None
    page.locator('main textarea[name="body"]').fill("Alasan penolakan " * 40)
    press_main_button(page)
    page.wait_for_url(f"**{reverse('feedback:complaint_received')}")
    assert overflow(page) is None
    complaint = Complaint.objects.get()
    assert complaint.topic == ComplaintTopic.APPLICATION
    assert complaint.reference in page.locator("main").inner_text()
    page.goto(reverse("feedback:complaint_mine"))
    assert overflow(page) is None
    page.goto(reverse("application_detail", args=[application.pk]))
    assert overflow(page) is None

"""E-mails go to people whose language we do not know: Indonesian first, then English, whatever
language the page of the person sending them was in."""

from datetime import timedelta

import pytest
from django.utils import formats, timezone, translation

from licensing import services
from licensing.mail import SEPARATOR, bilingual
from tests.factories import BusinessFactory, PermitTypeFactory, UserFactory
from tests.lifecycle import submitted
from tests.workflows.support import pending_task
from workflows import services as review
from workflows.states import StepKind

pytestmark = pytest.mark.django_db

# Under another name, so that makemessages does not list this test in the catalogue.
translatable = translation.gettext_lazy

LANGUAGES = ["id", "en"]


def halves(body: str) -> tuple[str, str]:
    indonesian, english = body.split(SEPARATOR)
    return indonesian, english


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_helper_renders_each_language_in_turn(language):
    with translation.override(language):
        subject, body = bilingual(translatable("Invitation to Izin"),
                                  translatable("Site inspection for %(reference)s"),
                                  {"reference": "PBG-2026-000001"})
        assert translation.get_language() == language
    assert subject == "Undangan ke Izin / Invitation to Izin"
    assert halves(body) == ("Peninjauan lapangan untuk PBG-2026-000001",
                            "Site inspection for PBG-2026-000001")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_staff_invitation_is_in_indonesian_then_english(
    language, mailoutbox, django_capture_on_commit_callbacks
):
    owner = UserFactory(full_name="Siti Rahmawati")
    business = BusinessFactory(owner=owner, legal_name="CV Melayu Jaya")
    url = "http://testserver/invitations/abc/"
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        services.business_invite(business=business, actor=owner, email="staf@example.id",
                                 accept_url_for=lambda invitation: url)
    [message] = mailoutbox
    assert message.subject == "Undangan ke Izin / Invitation to Izin"
    indonesian, english = halves(message.body)
    assert indonesian.startswith("Siti Rahmawati mengundang Anda untuk mewakili CV Melayu Jaya")
    assert english.startswith("Siti Rahmawati invites you to act for CV Melayu Jaya")
    assert url in indonesian and url in english


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_inspection_notice_is_in_indonesian_then_english(
    language, mailoutbox, django_capture_on_commit_callbacks
):
    permit_type = PermitTypeFactory(steps=["inspectors"])
    permit_type.review_steps.update(kind=StepKind.INSPECTION)
    application, owner = submitted(permit_type=permit_type)
    task = pending_task(application, "inspectors")
    inspector = UserFactory(groups=["inspectors"])
    when = timezone.now() + timedelta(days=2)
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        review.task_schedule_inspection(task=task, actor=inspector, at=when)

    [message] = mailoutbox
    assert message.to == [owner.email]
    reference = application.reference
    assert message.subject == (f"Peninjauan lapangan untuk {reference} / "
                               f"Site inspection for {reference}")
    indonesian, english = halves(message.body)
    assert indonesian.startswith(f"Peninjauan lapangan untuk permohonan {reference}")
    assert english.startswith(f"The site inspection for application {reference}")
    # The date is written the way each language writes dates.
    for half, code in ((indonesian, "id"), (english, "en")):
        with translation.override(code):
            written = formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")
        assert written in half

"""E-mails to addresses that are not yet anyone's account (invitations): their language is not
known, so Indonesian first, then English, whatever language the sender's page was in. People
with an account get notices in the language they chose (tests/notifications)."""


import pytest
from django.utils import translation

from licensing import services
from licensing.mail import SEPARATOR, bilingual
from tests.factories import BusinessFactory, UserFactory

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

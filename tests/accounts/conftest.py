import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _pages_in_english(client):
    """Assertions read the English source strings, whatever the Indonesian catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

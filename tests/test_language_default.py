import pytest
from django.conf import settings


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "fr", ""])
def test_pages_are_indonesian_whatever_the_browser_asks(client, accept):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.headers["Content-Language"] == "id"
    assert b'<html lang="id">' in response.content


@pytest.mark.django_db
def test_the_english_switch_is_remembered(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/catalogue/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/catalogue/", HTTP_ACCEPT_LANGUAGE="id")
    assert page.headers["Content-Language"] == "en"
    assert b'<html lang="en">' in page.content

"""gunicorn alone serves a complete site: WhiteNoise serves the collected static files,
compressed, under hashed names that browsers may keep for a year."""

import re

import pytest
from django.core.management import call_command


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = str(tmp_path / "static")
    # As production.py has it: WhiteNoise right after the security middleware.
    security = settings.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:security + 1],
                           "whitenoise.middleware.WhiteNoiseMiddleware",
                           *settings.MIDDLEWARE[security + 1:]]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path / "static"


@pytest.mark.django_db
def test_pages_link_hashed_static_files_served_compressed_and_cached_for_a_year(
        client, collected):
    page = client.get("/").content.decode()
    css = re.search(r'href="(/static/css/izin\.[0-9a-f]{12}\.css)"', page).group(1)
    response = client.get(css, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] in {"br", "gzip"}
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]

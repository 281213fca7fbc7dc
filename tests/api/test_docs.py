"""The schema and its documentation page are Izin's own: no key needed to read them, and the
page loads nothing from another site."""

import re

import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_the_schema_lists_every_operation_with_its_errors(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    operations = {(path, method) for path, methods in schema["paths"].items()
                  for method in methods}
    assert ("/api/v1/applications/", "post") in operations
    assert ("/api/v1/oss/receive-nib", "post") in operations
    create = schema["paths"]["/api/v1/applications/"]["post"]
    assert {"401", "403", "404", "409", "429"} <= set(create["responses"])
    assert "Idempotency-Key" in [p["name"] for p in create["parameters"]]


def test_the_documentation_page_uses_only_our_own_files(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert any("swagger-ui" in source for source in sources)
    script = client.get(next(source for source in sources if "script" in source))
    assert script.status_code == 200
    assert "https://" not in script.content.decode()


def test_only_the_documentation_page_allows_swagger_ui_s_inline_styles(client):
    docs = client.get("/api/docs/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in docs
    assert "img-src 'self' data:" in docs
    assert "script-src" not in docs  # scripts stay under default-src 'self': files only
    catalogue = client.get("/catalogue/")["Content-Security-Policy"]
    assert "unsafe-inline" not in catalogue

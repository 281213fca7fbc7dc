"""Keys: who calls, what they may reach, how often, and the record of each call."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.keys import api_key_revoke
from api.models import ApiCall, ApiKey
from tests.factories import PermitTypeFactory

pytestmark = pytest.mark.django_db

CATALOGUE = "/api/v1/catalogue/"


def test_no_key_is_refused_in_the_callers_language(client):
    indonesian = client.get(CATALOGUE)
    english = client.get(CATALOGUE, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert indonesian.status_code == english.status_code == 401
    assert english.json()["error"]["code"] == indonesian.json()["error"]["code"] == \
        "not_authenticated"
    assert english.json()["error"]["message"] == "Send an API key: Authorization: Bearer <key>."
    assert indonesian.json()["error"]["message"] != english.json()["error"]["message"]
    assert english["WWW-Authenticate"].startswith("Bearer")


def test_the_key_is_stored_only_as_its_digest(api_caller):
    caller = api_caller("catalogue")
    stored = ApiKey.objects.values().get(pk=caller.key.pk)
    assert caller.raw not in str(stored)
    assert caller.get(CATALOGUE).status_code == 200


def test_a_wrong_secret_with_a_real_prefix_is_refused(api_caller):
    caller = api_caller("catalogue")
    caller.raw = caller.raw[:-4] + ("AAAA" if not caller.raw.endswith("AAAA") else "BBBB")
    response = caller.get(CATALOGUE)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"


def test_a_revoked_key_is_refused(api_caller):
    caller = api_caller("catalogue")
    assert caller.get(CATALOGUE).status_code == 200
    api_key_revoke(key=caller.key)
    response = caller.get(CATALOGUE)
    assert response.status_code == 401
    assert response.json()["error"] == {"code": "api_key_revoked",
                                        "message": "This API key has been revoked."}


def test_an_expired_key_is_refused(api_caller):
    caller = api_caller("catalogue", expires_at=timezone.now() + timedelta(minutes=5))
    assert caller.get(CATALOGUE).status_code == 200
    ApiKey.objects.filter(pk=caller.key.pk).update(expires_at=timezone.now())
    response = caller.get(CATALOGUE)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "api_key_expired"


def test_a_key_reaches_only_its_scopes(api_caller):
    caller = api_caller("permits")
    response = caller.get(CATALOGUE)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert caller.get("/api/v1/treasury/daily-closes/").status_code == 403
    assert caller.get("/api/v1/applications/").status_code == 403


def test_each_call_is_recorded_against_its_key(api_caller):
    PermitTypeFactory(code="SIUP")
    caller = api_caller("catalogue")
    caller.get(CATALOGUE)
    caller.get(CATALOGUE + "SIUP/")
    caller.get(CATALOGUE + "NONE/")
    calls = list(ApiCall.objects.filter(key=caller.key).order_by("pk")
                 .values_list("method", "path", "status_code"))
    assert calls == [("GET", CATALOGUE, 200), ("GET", CATALOGUE + "SIUP/", 200),
                     ("GET", CATALOGUE + "NONE/", 404)]
    caller.key.refresh_from_db()
    assert caller.key.last_used_at is not None


def test_calls_are_limited_per_key(api_caller, settings):
    settings.API_RATE_LIMIT = "2/minute"
    first, second = api_caller("catalogue"), api_caller("catalogue")
    assert [first.get(CATALOGUE).status_code for _ in range(3)] == [200, 200, 429]
    limited = first.get(CATALOGUE)
    assert limited.json()["error"]["code"] == "rate_limited"
    assert int(limited["Retry-After"]) > 0
    assert second.get(CATALOGUE).status_code == 200  # another key has its own count


def test_the_catalogue_lists_open_permit_types_a_page_at_a_time(api_caller):
    for code in ["A1", "B2", "C3"]:
        PermitTypeFactory(code=code)
    PermitTypeFactory(code="Z9", is_active=False)
    caller = api_caller("catalogue")
    first = caller.get(CATALOGUE, page_size=2).json()
    assert [item["code"] for item in first["results"]] == ["A1", "B2"]
    rest = caller.client.get(first["next"], HTTP_AUTHORIZATION=f"Bearer {caller.raw}").json()
    assert [item["code"] for item in rest["results"]] == ["C3"]
    assert rest["next"] is None

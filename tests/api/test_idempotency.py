"""Every POST carries an Idempotency-Key: a retry gets the first answer, a reuse with another
body is refused, and nothing is done twice."""

import pytest

from api.models import IdempotentRequest
from licensing.models import Application
from tests.factories import BusinessFactory, UserFactory
from tests.portal import permit_type_with_form

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/applications/"


@pytest.fixture
def setup(api_caller):
    permit_type_with_form(code="SIUP")
    business = BusinessFactory(owner=UserFactory())
    return api_caller("applications", businesses=[business]), business


def test_the_same_key_and_body_replay_the_first_answer(setup):
    caller, business = setup
    body = {"business_nib": business.nib, "permit_type": "SIUP", "answers": {"activity": "Toko"}}
    first = caller.post(APPLICATIONS, body, idempotency_key="order-1")
    # The same request, its JSON spaced and ordered otherwise.
    again = caller.client.post(
        APPLICATIONS, '{ "permit_type": "SIUP", "answers": {"activity": "Toko"},  "business_nib":'
        f' "{business.nib}" }}', content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {caller.raw}", HTTP_IDEMPOTENCY_KEY="order-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Application.objects.count() == 1
    assert caller.key.calls.filter(replayed=True).count() == 1


def test_the_same_key_with_another_body_is_refused(setup):
    caller, business = setup
    caller.post(APPLICATIONS, {"business_nib": business.nib, "permit_type": "SIUP"},
                idempotency_key="order-2")
    other = caller.post(APPLICATIONS, {"business_nib": business.nib, "permit_type": "SIUP",
                                       "answers": {"activity": "Bengkel"}},
                        idempotency_key="order-2")
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert Application.objects.count() == 1


def test_a_refusal_is_kept_and_replayed_too(setup):
    caller, business = setup
    created = caller.post(APPLICATIONS, {"business_nib": business.nib, "permit_type": "SIUP"})
    submit = f"{APPLICATIONS}{created.json()['reference']}/submit/"
    first = caller.post(submit, idempotency_key="submit-1")
    again = caller.post(submit, idempotency_key="submit-1")
    assert first.status_code == again.status_code == 409
    assert again.json() == first.json()


def test_keys_belong_to_their_api_key(setup, api_caller):
    caller, business = setup
    other = api_caller("applications", businesses=[business])
    body = {"business_nib": business.nib, "permit_type": "SIUP"}
    assert caller.post(APPLICATIONS, body, idempotency_key="k").status_code == 201
    assert other.post(APPLICATIONS, body, idempotency_key="k").status_code == 201
    assert Application.objects.count() == 2


def test_a_post_without_a_key_is_refused(setup):
    caller, business = setup
    response = caller.client.post(APPLICATIONS, {"business_nib": business.nib,
                                                 "permit_type": "SIUP"},
                                  content_type="application/json",
                                  HTTP_AUTHORIZATION=f"Bearer {caller.raw}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "idempotency_key_required"
    assert not Application.objects.exists()
    assert not IdempotentRequest.objects.exists()


def test_first_answers_are_forgotten_after_the_keeping_time(setup, settings):
    from datetime import timedelta

    from django.utils import timezone

    from api.tasks import idempotency_forget

    caller, business = setup
    caller.post(APPLICATIONS, {"business_nib": business.nib, "permit_type": "SIUP"},
                idempotency_key="old")
    caller.post(APPLICATIONS, {"business_nib": business.nib, "permit_type": "SIUP"},
                idempotency_key="new")
    IdempotentRequest.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_KEEP_HOURS + 1))
    assert idempotency_forget() == 1
    assert idempotency_forget() == 0  # run again: nothing more
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]

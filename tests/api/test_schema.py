"""The API against its own OpenAPI schema, by schemathesis over HTTP: generated requests to
every operation, with a key of each scope, never meet a server error, and every answer (status,
content type, headers, body) is one the schema documents."""

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.keys import api_key_issue
from api.scopes import Scope
from tests.factories import BusinessFactory, UserFactory
from tests.lifecycle import draft
from tests.portal import permit_type_with_form

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@pytest.fixture
def keys(transactional_db, settings):
    settings.API_RATE_LIMIT = "1000000/minute"  # this test is about answers, not about the rate
    permit_type = permit_type_with_form(code="SIUP")
    business = BusinessFactory(owner=(owner := UserFactory()))
    draft(permit_type=permit_type, business=business, owner=owner)
    return {scope: api_key_issue(name=f"schemathesis {scope}", scopes=[scope],
                                 businesses=[business])[1] for scope in Scope.values}


@pytest.fixture
def api_schema(live_server, keys):
    return schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis.settings(max_examples=12, deadline=None, derandomize=True,
                     suppress_health_check=list(hypothesis.HealthCheck))
def test_every_answer_is_documented_and_none_is_a_server_error(case, keys):
    for raw in keys.values():
        case.call_and_validate(headers={"Authorization": f"Bearer {raw}"}, checks=CHECKS)

"""Only treasury staff reach the treasury's pages. Every URL pattern of
``treasury.urls`` is walked (so a page added later is covered without editing this
file), its path parameters filled with sample values: anonymous visitors are sent to log in;
businesses, front office, reviewers and even a superuser outside the treasury groups get 403;
treasury officers and supervisors get the page (or 404 for an id that does not exist)."""

import itertools
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, URLResolver, converters, reverse
from django.utils import timezone

from licensing import roles
from tests.factories import BusinessFactory, PermitTypeFactory, UserFactory
from treasury import urls as treasury_urls


def _patterns(patterns, parents=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, (*parents, pattern))
        else:
            yield parents, pattern


def _parameters(chain: list) -> dict:
    """name → converter (None for a plain regex group) over the pattern and its includes."""
    found = {}
    for item in chain:
        route = item.pattern
        found |= dict.fromkeys(route.regex.groupindex)
        found |= getattr(route, "converters", {})
    return found


YESTERDAY = (timezone.localdate() - timedelta(days=1)).isoformat()
BY_NAME = {"fmt": ["csv"], "format": ["csv"], "day": [YESTERDAY], "start": [YESTERDAY],
           "end": [YESTERDAY]}


def _candidates(name: str, converter) -> list[str]:
    """Sample values for a path parameter, likeliest first: a made-up id for numbers."""
    if isinstance(converter, converters.IntConverter):
        return ["987654"]
    if isinstance(converter, converters.UUIDConverter):
        return [str(uuid.UUID(int=987654))]
    return [*BY_NAME.get(name, []), YESTERDAY, "987654", "csv", "sample"]


def _url(name: str, parameters: dict) -> str:
    names = list(parameters)
    options = [_candidates(key, parameters[key]) for key in names]
    for values in itertools.product(*options):
        try:
            return reverse(f"treasury:{name}", kwargs=dict(zip(names, values, strict=True)))
        except NoReverseMatch:
            continue
    raise AssertionError(f"no sample value fits the parameters of treasury:{name}")


PAGES = [(pattern.name, _parameters([*parents, pattern]))
         for parents, pattern in _patterns(treasury_urls.urlpatterns)]


def test_every_treasury_pattern_is_named_and_walked():
    assert all(name for name, _parameters in PAGES), "name every treasury URL pattern"
    walked = {name for name, _parameters in PAGES}
    assert {"dashboard", "day_list", "day_detail", "day_close", "day_export", "day_sts",
            "ledger_export", "statement_list", "exception_list", "refund_list"} <= walked


@pytest.fixture
def outsiders(db):
    business_user = UserFactory()
    BusinessFactory(owner=business_user)
    PermitTypeFactory(steps=["dinas_pupr"])
    return {
        "business": business_user,
        "front office": UserFactory(groups=[roles.FRONT_OFFICE]),
        "reviewer": UserFactory(groups=["dinas_pupr"]),
        "head of office": UserFactory(groups=[roles.HEAD_OF_OFFICE]),
        "superuser": UserFactory(is_superuser=True, is_staff=True,
                                 groups=[roles.ADMINISTRATOR]),
    }


def _sent_to_log_in(response) -> bool:
    login = resolve_url(settings.LOGIN_URL)
    return response.status_code == 302 and response["Location"].startswith(login + "?next=")


@pytest.mark.parametrize(("name", "parameters"), PAGES, ids=[name for name, _p in PAGES])
def test_anonymous_visitors_are_sent_to_log_in(client, db, name, parameters):
    url = _url(name, parameters)
    assert _sent_to_log_in(client.get(url)), url
    posted = client.post(url)
    assert _sent_to_log_in(posted), url


@pytest.mark.parametrize(("name", "parameters"), PAGES, ids=[name for name, _p in PAGES])
def test_everyone_outside_the_treasury_is_refused(client, outsiders, name, parameters):
    url = _url(name, parameters)
    for who, user in outsiders.items():
        client.force_login(user)
        assert client.get(url).status_code == 403, (who, url)
        assert client.post(url).status_code == 403, (who, url)


@pytest.mark.parametrize(("name", "parameters"), PAGES, ids=[name for name, _p in PAGES])
@pytest.mark.parametrize("group", [roles.TREASURY_OFFICER, roles.TREASURY_SUPERVISOR])
def test_treasury_staff_reach_every_page(client, db, name, parameters, group):
    url = _url(name, parameters)
    client.force_login(UserFactory(groups=[group]))
    response = client.get(url)
    assert response.status_code != 403, url
    assert response.status_code < 500, url

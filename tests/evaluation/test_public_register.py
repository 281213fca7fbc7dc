"""The public register of permits: issued permits only, each with its state as the public must
read it (a revoked, suspended or out-of-date permit says so), searchable by the start of its
number or of the business's name, filtered by type and state, paged by key in a constant number
of queries however large the register, each row linking to the permit's verification page."""

import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.public import PAGE_SIZE, SEARCH_MAX_LENGTH
from licensing import permits, roles
from licensing.models import Permit
from tests.documents.permits import issued
from tests.evaluation.public_support import bulk_permits, wib
from tests.factories import PermitTypeFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("public:register")
ROW = re.compile(r'<tr class="register-row" data-number="([^"]+)" data-state="([^"]+)">')


def rows(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


def link(response, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', response.content.decode())
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.fixture
def head():
    return UserFactory(groups=[roles.HEAD_OF_OFFICE])


@time_machine.travel(wib(2026, 6, 1, 10), tick=False)
def test_every_permit_once_newest_first_over_keyset_pages(client):
    made = bulk_permits(60)
    seen, url = [], URL
    while url:
        response = client.get(url if url.startswith("/") else URL + url)
        page = rows(response)
        assert len(page) <= PAGE_SIZE
        seen += [number for number, _state in page]
        url = link(response, "next")
    assert seen == [permit.number for permit in reversed(made)]
    assert 'data-count="60"' in response.content.decode()


@time_machine.travel(wib(2026, 6, 1, 10), tick=False)
def test_back_to_newer_pages(client):
    made = bulk_permits(3 * PAGE_SIZE)
    newest_first = [permit.number for permit in reversed(made)]
    second = client.get(URL + link(client.get(URL), "next"))
    third = client.get(URL + link(second, "next"))
    back = client.get(URL + link(third, "prev"))
    assert [number for number, _ in rows(back)] == newest_first[PAGE_SIZE:2 * PAGE_SIZE]
    first = client.get(URL + link(back, "prev"))
    assert [number for number, _ in rows(first)] == newest_first[:PAGE_SIZE]
    assert link(first, "prev") is None


@time_machine.travel(wib(2026, 6, 1, 10), tick=False)
def test_a_page_costs_the_same_queries_on_a_large_register(client,
                                                          django_assert_max_num_queries):
    permit_type = PermitTypeFactory(code="SIUP")
    bulk_permits(1, permit_type=permit_type)
    queries = ("", "?state=active", "?type=SIUP&name=pt", "?number=SIUP/0")
    one = {}
    for query in queries:
        with CaptureQueriesContext(connection) as context:
            assert len(rows(client.get(URL + query))) == 1
        one[query] = len(context)
    assert max(one.values()) <= 6  # the rows, a bounded count, the types, the request's own
    bulk_permits(299, permit_type=permit_type)
    assert Permit.objects.count() == 300
    for query in queries:
        with django_assert_max_num_queries(one[query]):
            first = client.get(URL + query)
            assert len(rows(first)) == PAGE_SIZE
        # Deep in the register, the page is found by its key, not by skipping rows.
        with django_assert_max_num_queries(one[query]):
            assert len(rows(client.get(URL + link(first, "next")))) == PAGE_SIZE


@time_machine.travel(wib(2026, 6, 1, 10), tick=False)
def test_the_count_stops_at_its_cap(client, monkeypatch):
    monkeypatch.setattr("evaluation.public.COUNT_CAP", 10)
    bulk_permits(11)
    html = client.get(URL).content.decode()
    assert 'data-count="10" data-capped' in html


@time_machine.travel(wib(2026, 6, 1, 10), tick=False)
def test_search_by_the_start_of_the_number_or_of_the_name(client):
    siup = PermitTypeFactory(code="SIUP")
    tdg = PermitTypeFactory(code="TDG")
    bulk_permits(3, permit_type=siup, name="Toko Sinar")
    bulk_permits(2, permit_type=tdg, name="CV Gudang Makmur")
    # By number: the start, in any case (numbers are capitals).
    found = rows(client.get(URL, {"number": "tdg/0000"}))
    assert [number for number, _ in found] == ["TDG/00005/DPMPTSP/2026",
                                               "TDG/00004/DPMPTSP/2026"]
    assert [n for n, _ in rows(client.get(URL, {"number": "SIUP/00002/"}))] == [
        "SIUP/00002/DPMPTSP/2026"]
    # By name: the start of the legal name, in any case; the middle does not count.
    assert len(rows(client.get(URL, {"name": "toko sin"}))) == 3
    assert len(rows(client.get(URL, {"name": "CV GUDANG"}))) == 2
    assert rows(client.get(URL, {"name": "Gudang"})) == []
    # A LIKE wildcard typed is a character, not a pattern.
    assert rows(client.get(URL, {"name": "%"})) == []
    # By type, and together.
    assert len(rows(client.get(URL, {"type": "TDG"}))) == 2
    assert rows(client.get(URL, {"type": "TDG", "name": "Toko"})) == []


def test_withdrawn_permits_are_shown_as_such_and_filtered_by_state(client, head):
    with time_machine.travel(wib(2026, 6, 1, 10), tick=False):
        active, suspended, revoked, ended = bulk_permits(4)
        permits.permit_suspend(permit=suspended, actor=head, reason="Pemeriksaan lapangan")
        permits.permit_revoke(permit=revoked, actor=head, reason="Melanggar ketentuan")
        Permit.objects.filter(pk=ended.pk).update(valid_until=date(2026, 5, 31))
        states = dict(rows(client.get(URL)))
    # Still "active" in the table until the nightly task runs: the public reads it as expired.
    assert Permit.objects.get(pk=ended.pk).state == "active"
    assert states == {active.number: "active", suspended.number: "suspended",
                      revoked.number: "revoked", ended.number: "expired"}
    with time_machine.travel(wib(2026, 6, 1, 10), tick=False):
        by_state = {state: [n for n, _ in rows(client.get(URL, {"state": state}))]
                    for state in ("active", "suspended", "revoked", "expired", "superseded")}
    assert by_state == {"active": [active.number], "suspended": [suspended.number],
                        "revoked": [revoked.number], "expired": [ended.number],
                        "superseded": []}


@time_machine.travel(wib(2026, 6, 1, 10), tick=False)
def test_a_permit_still_being_issued_is_not_on_the_register(client):
    done, pending = bulk_permits(2)
    Permit.objects.filter(pk=pending.pk).update(file="")
    assert [n for n, _ in rows(client.get(URL))] == [done.number]


def test_each_row_links_to_the_permits_verification_page(client,
                                                         django_capture_on_commit_callbacks):
    permit = issued(django_capture_on_commit_callbacks)
    html = client.get(URL).content.decode()
    href = re.search(rf'<a href="([^"]+)">{re.escape(permit.number)}</a>', html).group(1)
    href = href.replace("&amp;", "&")
    assert href == f"/verify/{permit.number}/?c={permit.verification_code}"
    page = client.get(href)
    assert page.status_code == 200
    assert permit.holder.legal_name in page.content.decode()


@time_machine.travel(wib(2026, 6, 1, 10), tick=False)
@pytest.mark.parametrize("query", [
    {"number": "X" * (SEARCH_MAX_LENGTH + 1)},
    {"name": "n" * (SEARCH_MAX_LENGTH + 1)},
    {"type": "NOPE"},
    {"state": "lost"},
    {"after": "abc"},
    {"before": "0"},
    {"after": str(2**64)},
])
def test_input_out_of_bounds_is_refused_with_a_message(client, query):
    bulk_permits(2)
    response = client.get(URL, query)
    assert response.status_code == 400
    assert ROW.findall(response.content.decode()) == []


def test_standards_detail_refuses_a_code_that_cannot_be_one(client):
    assert client.get("/public/standards/" + "A" * 13 + "/").status_code == 404
    assert client.get("/public/standards/abc/").status_code == 404

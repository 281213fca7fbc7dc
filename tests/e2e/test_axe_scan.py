"""axe-core on every state the journeys reach: the scan finds a serious problem wherever a page
shows it (as loaded, after a change on the page, with JavaScript off, just before leaving), a
test that reaches one fails, the Content-Security-Policy is still watched, and the pages that
show messages and form errors pass it."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from licensing.models import Business
from tests.e2e.browsing import business_form_fill, log_in, press_main_button
from tests.e2e.people import People, csp_violations
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# An image without a text alternative: axe's rule image-alt, "critical".
UNNAMED_IMAGE = '<img src="/static/favicon.svg" id="unnamed">'
POLICY = {"Content-Security-Policy": "default-src 'self'"}


def html(body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><title>Scan</title></head>'
            f"<body><main><h1>Scan</h1>{body}</main></body></html>")


def serve(page, path: str, body: str, headers: dict | None = None) -> None:
    """The live server's origin answers ``path`` with this page (no app code is added)."""
    page.route(f"**{path}", lambda route: route.fulfill(
        status=200, content_type="text/html", body=html(body), headers=headers or {}))


@pytest.fixture
def people(browser, live_server):
    """What ``open_page`` uses, held by the test: it calls ``leave`` itself, as the end of a
    test would."""
    watched = People(browser, live_server.url)
    yield watched
    for context in watched.contexts:  # left open by a test that failed before leaving
        context.close()


def rules(people: People) -> set[tuple[str, str, tuple[str, ...]]]:
    """(rule, path, elements) of what axe found."""
    return {(finding.rule, urlsplit(finding.url).path, finding.targets)
            for finding in people.accessibility.findings}


def test_a_page_that_loads_with_a_serious_problem_fails_the_test(people):
    page = people.open()
    serve(page, "/scan/", UNNAMED_IMAGE + '<a href="/scan/next/">next</a>')
    serve(page, "/scan/next/", "<p>fine</p>")
    page.goto("/scan/")
    page.locator('a[href="/scan/next/"]').click()  # scanned before the click, as loaded
    expect(page).to_have_url(re.compile(r"/scan/next/$"))

    assert rules(people) == {("image-alt", "/scan/", ("#unnamed",))}
    with pytest.raises(AssertionError, match=r"image-alt \(critical\) at http://\S+/scan/: "
                                             r"#unnamed"):
        people.leave()


def test_a_change_made_on_the_page_is_a_state_of_its_own(people):
    page = people.open()
    serve(page, "/scan/", '<form><input id="a" aria-label="Name"><button>Send</button></form>')
    page.goto("/scan/")
    expect(page.locator("#a")).to_be_visible()
    assert people.accessibility.findings == []

    # As a script would show inline errors: the same address, another state.
    page.locator("form").evaluate(
        "form => form.insertAdjacentHTML('beforeend', '<ul role=\"alert\">"
        "<li>Wrong</li></ul>')")
    expect(page.locator("form ul")).to_be_visible()

    assert rules(people) == {("listitem", "/scan/", ("li",))}


def test_with_javascript_off_the_state_a_page_is_left_in_is_scanned(people):
    page = people.open(java_script_enabled=False)
    serve(page, "/scan/", "<p>fine</p>")
    serve(page, "/scan/bad/", UNNAMED_IMAGE)
    page.goto("/scan/")
    page.goto("/scan/bad/")
    assert people.accessibility.findings == []  # not yet: the page is still on it

    page.goto("/scan/")  # leaving it scans it

    assert rules(people) == {("image-alt", "/scan/bad/", ("#unnamed",))}


def test_the_state_a_test_ends_on_is_scanned(people):
    page = people.open()
    serve(page, "/scan/", UNNAMED_IMAGE)
    page.goto("/scan/")

    with pytest.raises(AssertionError, match="image-alt"):
        people.leave()


def test_axe_runs_under_the_pages_policy_and_sets_none_of_it_off(people):
    page = people.open()
    serve(page, "/scan/", UNNAMED_IMAGE, POLICY)
    page.goto("/scan/")

    assert [finding.rule for finding in people.accessibility.scan(page)] == ["image-alt"]
    assert csp_violations(people.console) == []


def test_what_the_policy_blocks_still_fails_the_test(people):
    page = people.open()
    serve(page, "/scan/", '<p>fine</p><script>document.title = "inline"</script>', POLICY)
    page.goto("/scan/")

    with pytest.raises(AssertionError, match="Content-Security-Policy blocked"):
        people.leave()


def test_messages_and_form_errors_are_lists_axe_accepts(people):
    """The login refused (an error for the whole form), a business registration with errors on
    its fields, then registered (a success message): each state passes axe's list rules."""
    owner = UserFactory()
    page = people.open()
    page.goto("/accounts/login/")
    page.locator('main input[name="username"]').fill(owner.email)
    page.locator('main input[name="password"]').fill("not-the-password")
    press_main_button(page)
    expect(page.locator("main .errorlist li")).to_have_count(1)
    assert_lists_accepted(people, page)

    log_in(page, owner)
    page.goto("/businesses/new/")
    business_form_fill(page, legal_name="CV Lengkap", nib="12")
    page.locator('input[name="npwp"]').fill("123")
    press_main_button(page)
    expect(page.locator('main input[aria-invalid="true"]')).to_have_count(2)
    expect(page.locator("main .errorlist li")).to_have_count(2)
    assert_lists_accepted(people, page)

    business_form_fill(page, legal_name="CV Lengkap", nib="9120001111111")
    press_main_button(page)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert Business.objects.filter(nib="9120001111111").exists()
    expect(page.locator("main .messages li")).to_have_count(1)
    assert_lists_accepted(people, page)

    people.leave()  # and nothing serious in any state on the way


def assert_lists_accepted(people, page) -> None:
    found = people.accessibility.scan(page, again=True)
    assert [str(finding) for finding in found if finding.rule in ("list", "listitem")] == []

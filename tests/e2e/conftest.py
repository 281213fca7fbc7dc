"""A real browser: Debian's Chromium, driven by Playwright through its executable path.

No browser is downloaded. A missing Chromium fails these tests (`make test` installs it).
"""

import os
import shutil

import pytest

from tests.e2e.people import People

# Playwright's sync API keeps an event loop in the test thread; the ORM calls made by the test
# itself (setting up data) are synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machine has no network: keep Chromium from trying to phone home.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def _patient_expectations():
    """The machine may be busy with other work: wait as long for an expectation as for an action
    (Playwright's defaults are 5 s and 30 s), so load slows a run down but does not fail it."""
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(executable):
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_FLAGS,
            # Playwright turns the back-forward cache off; people's browsers have it, and going
            # Back must show a form as it was sent (its spent token included), as they see it.
            ignore_default_args=["--disable-back-forward-cache"],
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """Another person at another browser (or the same one with JavaScript off): each page opened
    with this gets its own context, so its own cookies and session. Every state its pages reach
    is scanned by axe-core, and what the Content-Security-Policy blocked is collected: either
    fails the test at its end (tests/e2e/people.py)."""
    people = People(browser, live_server.url)
    yield people.open
    people.leave()


@pytest.fixture
def page(open_page):
    return open_page()

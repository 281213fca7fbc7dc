"""A real browser: Debian's Chromium, driven by Playwright through its executable path.

No browser is downloaded. A missing Chromium fails these tests (`make test` installs it).
"""

import os
import shutil

import pytest

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


# Every page reports what its Content-Security-Policy blocked, on the console, where the
# fixture below collects it: a journey that passes with something blocked still fails.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("csp-violation " + event.effectiveDirective + " " + event.blockedURI);
});
"""


def csp_violations(messages: list[str]) -> list[str]:
    return [text for text in messages
            if text.startswith("csp-violation") or "Content Security Policy" in text]


@pytest.fixture
def open_page(browser, live_server):
    """Another person at another browser (or the same one with JavaScript off): each page opened
    with this gets its own context, so its own cookies and session."""
    contexts, console = [], []

    def open_(**options):
        context = browser.new_context(**{"base_url": live_server.url, "locale": "id-ID", **options})
        context.set_default_timeout(15_000)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", lambda message: console.append(message.text))
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()
    assert csp_violations(console) == [], "the Content-Security-Policy blocked part of a page"


@pytest.fixture
def page(open_page):
    return open_page()

"""People at browsers: each gets a browser context of their own (cookies, session), and
everything their pages do is watched; what went wrong fails the test when it ends."""

from playwright.sync_api import Browser, Page

from tests.e2e.accessibility import Scanner

# Every page reports what its Content-Security-Policy blocked, on the console, where it is
# collected: a journey that passes with something blocked still fails.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("csp-violation " + event.effectiveDirective + " " + event.blockedURI);
});
"""


def csp_violations(messages: list[str]) -> list[str]:
    return [text for text in messages
            if text.startswith("csp-violation") or "Content Security Policy" in text]


class People:
    """Opens the pages of a test (``open``) and, at its end (``leave``), fails it for anything
    the Content-Security-Policy blocked or axe-core found serious in any state of any page."""

    def __init__(self, browser: Browser, base_url: str):
        self.browser, self.base_url = browser, base_url
        self.contexts, self.console = [], []
        self.accessibility = Scanner()

    def open(self, **options) -> Page:
        context = self.browser.new_context(**{"base_url": self.base_url, "locale": "id-ID",
                                              **options})
        context.set_default_timeout(15_000)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", lambda message: self.console.append(message.text))
        self.contexts.append(context)
        page = self.accessibility.watch(context.new_page())
        context.on("page", self.accessibility.watch)  # a page it opens (target="_blank")
        return page

    def leave(self) -> None:
        try:
            self.accessibility.finish()
        finally:
            contexts, self.contexts = self.contexts, []
            for context in contexts:
                context.close()
        assert csp_violations(self.console) == [], \
            "the Content-Security-Policy blocked part of a page"
        problems = self.accessibility.verdict()
        assert not problems, "accessibility, in a state a page reached:\n" + problems

"""axe-core on every state a browser journey reaches: each page as it loaded, and as it became
after what the person (or the page's own script) did on it.

axe runs in a JavaScript world of its own, made over the DevTools protocol in each document: the
page's Content-Security-Policy does not apply to it (the policy is not loosened, and its checks
keep watching the page), the page's scripts cannot see it, and it works with JavaScript off too.

When a state is scanned: before every action and every auto-waiting expectation on the page (a
Playwright locator handler on ``html``, which the action waits for), before the page leaves its
document by ``goto``/``reload``/``go_back``/``go_forward``/``set_content``/``close``, and at the
end of the test. Each (path, structure of the DOM) is scanned once.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import axe_playwright_python
from playwright.sync_api import Error, Page

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
SEVERE = ("serious", "critical")
WORLD = "izin-axe"
LEAVING = ("goto", "reload", "go_back", "go_forward", "set_content", "close")

# With JavaScript off a document's timers never fire, and axe ends its run on one. In axe's own
# world a short timer runs as a microtask instead (so a whole run ends within one task of the
# page: nothing the test does lands in the middle of a scan), and a long one, which only gives
# up on something that hangs, never fires.
TIMERS = """
globalThis.setTimeout = function (callback, delay, ...args) {
  if (!(delay > 1)) queueMicrotask(function () { callback(...args); });
  return 0;
};
globalThis.clearTimeout = function () {};
"""

# What tells one state of a document from another: every element, its attributes and whether it
# holds text. Not the text itself, nor values (the CSRF token differs on every load).
STATE = """(function () {
  const volatile = new Set(["value", "nonce"]);
  const lines = [];
  for (const element of document.querySelectorAll("*")) {
    let line = element.tagName;
    for (const attribute of element.attributes) {
      if (!volatile.has(attribute.name)) line += " " + attribute.name + "=" + attribute.value;
    }
    for (const child of element.childNodes) {
      if (child.nodeType === Node.TEXT_NODE && child.data.trim()) { line += " #"; break; }
    }
    lines.push(line);
  }
  const text = lines.join("\\n");
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return {
    path: location.pathname, url: location.href, html: document.contentType === "text/html",
    loaded: document.readyState === "complete",
    structure: (hash >>> 0).toString(16) + "-" + text.length, axe: typeof axe !== "undefined",
  };
})()"""

RUN = """(async function () {
  const state = STATE;
  const results = await axe.run(document, {resultTypes: ["violations"], preload: false});
  const violations = results.violations
    .filter((violation) => SEVERE.includes(violation.impact))
    .map((violation) => ({
      id: violation.id, impact: violation.impact, help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(" ")),
    }));
  return {state, violations};
})()""".replace("STATE", STATE).replace("SEVERE", json.dumps(SEVERE))

# The document went (the page navigated on its own, or closed) between two steps of a scan.
GONE = ("Cannot find context with specified id", "Execution context was destroyed",
        "Target page, context or browser has been closed", "Target closed", "Session closed",
        "No frame for given id")


@dataclass(frozen=True)
class Finding:
    rule: str
    impact: str
    url: str
    targets: tuple[str, ...]
    help: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}) at {self.url}: {', '.join(self.targets)} — {self.help}"


@dataclass
class Scanner:
    """Watches pages, scans their states, and keeps what axe found (serious and critical)."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    scanned: set[tuple[str, str]] = field(default_factory=set)
    _pages: dict[int, Page] = field(default_factory=dict)
    _worlds: dict[int, tuple] = field(default_factory=dict)

    def watch(self, page: Page) -> Page:
        if id(page) in self._pages:
            return page
        self._pages[id(page)] = page
        page.add_locator_handler(page.locator("html"), lambda: self.scan(page),
                                 no_wait_after=True)
        for name in LEAVING:
            setattr(page, name, self._scanning_first(page, getattr(page, name)))
        return page

    def _scanning_first(self, page: Page, method):
        def scanned_then(*args, **kwargs):
            self.scan(page)
            return method(*args, **kwargs)
        return scanned_then

    def finish(self) -> None:
        """The state each page was left in."""
        for page in self._pages.values():
            self.scan(page)

    def scan(self, page: Page, *, again: bool = False) -> list[Finding]:
        """Scans the state the page is in now (once per state, unless ``again``); returns what
        it found there."""
        if page.is_closed() or not page.url.startswith(("http:", "https:")):
            return []
        try:
            return self._scan(page, again=again)
        except Error as error:
            if page.is_closed() or any(sign in error.message for sign in GONE):
                return []
            self.errors.append(f"{page.url}: {error.message}")
            return []

    def _scan(self, page: Page, *, again: bool) -> list[Finding]:
        state = self._evaluate(page, STATE)
        if not state["loaded"]:
            # Its styles applied first (contrast, what is hidden). Asked of the document, not
            # of Playwright: a page restored from the back-forward cache has no load event.
            page.wait_for_load_state("load")
            state = self._evaluate(page, STATE)
        if not state["html"]:
            return []
        if (state["path"], state["structure"]) in self.scanned and not again:
            return []
        if not state["axe"]:
            self._evaluate(page, AXE_SOURCE)
        result = self._evaluate(page, RUN)
        state = result["state"]
        self.scanned.add((state["path"], state["structure"]))
        found = [Finding(rule=v["id"], impact=v["impact"], url=state["url"],
                         targets=tuple(v["targets"]), help=v["help"])
                 for v in result["violations"]]
        self.findings.extend(finding for finding in found if finding not in self.findings)
        return found

    def _evaluate(self, page: Page, expression: str):
        """Evaluates in axe's world of the page's current document (made when it has none)."""
        session, world = self._world(page)
        answer = session.send("Runtime.evaluate", {
            "expression": expression, "contextId": world, "awaitPromise": True,
            "returnByValue": True})
        details = answer.get("exceptionDetails")
        if details is None:
            return answer["result"].get("value")
        description = details.get("exception", {}).get("description") or details["text"]
        raise Error(f"axe's world: {description}")

    def _world(self, page: Page):
        session, world, document = self._worlds.get(id(page), (None, None, None))
        if session is None:
            session = page.context.new_cdp_session(page)
        # A new document (navigation, or restored from the back-forward cache) has a new frame
        # loader: the world made in the previous one is gone with it.
        frame = session.send("Page.getFrameTree")["frameTree"]["frame"]
        if world is None or frame["loaderId"] != document:
            world = session.send("Page.createIsolatedWorld", {
                "frameId": frame["id"], "worldName": WORLD})["executionContextId"]
            session.send("Runtime.evaluate", {"expression": TIMERS, "contextId": world})
        self._worlds[id(page)] = (session, world, frame["loaderId"])
        return session, world

    def verdict(self) -> str:
        """What fails the test: empty when axe found nothing serious and every scan ran."""
        lines = [f"axe-core: {finding}" for finding in self.findings]
        lines += [f"the axe-core scan itself failed at {error}" for error in self.errors]
        return "\n".join(lines)

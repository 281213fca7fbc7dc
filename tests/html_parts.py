"""Reading a page by its structure: the elements that carry a class, with their attributes and
their text, so assertions hold whatever language the words are in."""

from html.parser import HTMLParser

VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
        "wbr"}


class _Parts(HTMLParser):
    def __init__(self, html: str, css_class: str):
        super().__init__()
        self.css_class = css_class
        self.stack: list[tuple[str, dict | None]] = []
        self.found: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        record = None
        if self.css_class in attributes.get("class", "").split():
            record = {"attrs": attributes, "text": []}
            self.found.append(record)
        if tag not in VOID:
            self.stack.append((tag, record))

    def handle_endtag(self, tag):
        if not any(open_tag == tag for open_tag, _record in self.stack):
            return
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        for _tag, record in self.stack:
            if record is not None:
                record["text"].append(data)


def parts(html: str, css_class: str) -> list[tuple[dict, str]]:
    """``[(attributes, text with its spaces collapsed), ...]`` of each element with the class."""
    return [(record["attrs"], " ".join("".join(record["text"]).split()))
            for record in _Parts(html, css_class).found]

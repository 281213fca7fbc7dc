"""Stripe's bracketed form encoding, read back into nested dicts and lists.

``line_items[0][price_data][currency]=idr`` becomes
``{"line_items": [{"price_data": {"currency": "idr"}}]}``. A level whose keys are all indexes
(``[0]``, ``[1]``) or empty (``[]``, append) becomes a list in index order.
"""

import re
from urllib.parse import parse_qsl

_BRACKET = re.compile(r"\[([^\[\]]*)\]")


class MalformedKey(ValueError):
    pass


def parse_form(body: str) -> dict:
    """Parse a query string or form body into nested values (strings at the leaves)."""
    return nest(parse_qsl(body, keep_blank_values=True))


def nest(pairs: list[tuple[str, str]]) -> dict:
    tree: dict = {}
    for key, value in pairs:
        path = _split(key)
        node = tree
        for part in path[:-1]:
            if part == "":
                part = str(len(node))
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise MalformedKey(f"{key} mixes a value and nested keys.")
            node = child
        last = path[-1]
        if last == "":
            last = str(len(node))
        if isinstance(node.get(last), dict):
            raise MalformedKey(f"{key} mixes a value and nested keys.")
        node[last] = value
    return _listify(tree)


def _split(key: str) -> list[str]:
    head, bracket, rest = key.partition("[")
    if not bracket:
        return [key]
    rest = "[" + rest
    parts = _BRACKET.findall(rest)
    if not head or "".join(f"[{part}]" for part in parts) != rest:
        raise MalformedKey(f"{key} is not a valid bracketed key.")
    return [head, *parts]


def _listify(node):
    if not isinstance(node, dict):
        return node
    items = {key: _listify(value) for key, value in node.items()}
    if items and all(key.isdigit() for key in items):
        return [items[key] for key in sorted(items, key=int)]
    return items

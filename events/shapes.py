"""What a delivery's body looks like: its shape. Most subscribers take the JSON envelope
("json"); a system that imports files (the city's finance system) takes a file instead, shaped
by the app that knows how to write it.

``events`` knows no app above it: those apps register their shapes from their ``ready()``
(``register("sipkd", shaper, topics=[...])``). A shaper turns a delivery into a ``Body``; the
signature covers exactly its bytes, whatever they are. A shape may name the topics it can
render: the admin refuses a subscription that asks it for others, and sending one fails the
delivery with a clear error rather than sending something the receiver cannot read."""

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from events.models import Delivery

JSON = "json"
# A filename travels in a header: nothing that could end it or start another.
SAFE_FILENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")


class ShapeError(Exception):
    """The delivery cannot be shaped; the message says why, for the delivery log."""


@dataclass(frozen=True)
class Body:
    content_type: str
    body: bytes
    filename: str = ""  # given: sent as an attachment of this name

    def __post_init__(self):
        if self.filename and not SAFE_FILENAME.match(self.filename):
            raise ShapeError(f"Unsafe file name {self.filename!r}.")


Shaper = Callable[[Delivery], Body]


@dataclass(frozen=True)
class Shape:
    name: str
    shaper: Shaper
    topics: tuple[str, ...] = ()  # empty: any topic

    def renders(self, topic: str) -> bool:
        return not self.topics or topic in self.topics


_shapes: dict[str, Shape] = {}


def register(name: str, shaper: Shaper, *, topics: Iterable[str] = ()) -> None:
    """Make ``name`` a shape subscriptions may choose. Registering a name again with another
    shaper is a mistake (two apps claiming one name) and raises."""
    shape = Shape(name=name, shaper=shaper, topics=tuple(topics))
    known = _shapes.get(name)
    if known is not None and known != shape:
        raise ValueError(f"The shape {name!r} is already registered.")
    _shapes[name] = shape


def unregister(name: str) -> None:
    _shapes.pop(name, None)


def names() -> list[str]:
    return sorted(_shapes)


def get(name: str) -> Shape | None:
    return _shapes.get(name)


def render(delivery: Delivery) -> Body:
    """The body of ``delivery`` in its subscription's shape. Raises ``ShapeError``."""
    name = delivery.subscription.shape
    shape = _shapes.get(name)
    if shape is None:
        raise ShapeError(f"Unknown shape {name!r}: no app registers it.")
    if not shape.renders(delivery.event.topic):
        raise ShapeError(f"The shape {name!r} cannot render {delivery.event.topic!r}.")
    body = shape.shaper(delivery)
    if not isinstance(body, Body):
        raise ShapeError(f"The shape {name!r} gave no Body.")
    return body


def envelope(delivery: Delivery) -> dict:
    event = delivery.event
    return {
        "id": str(event.uid),
        "type": event.topic,
        "created": int(event.occurred_at.timestamp()),
        "data": {"object_type": event.object_type, "object_id": event.object_id,
                 "sequence": event.sequence, **event.payload},
    }


def body_for(delivery: Delivery) -> bytes:
    return json.dumps(envelope(delivery), separators=(",", ":"), sort_keys=True).encode()


def json_body(delivery: Delivery) -> Body:
    return Body("application/json; charset=utf-8", body_for(delivery))


register(JSON, json_body)

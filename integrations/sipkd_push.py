"""The city's finance system (SIPKD) receives each closed day's file through the outbox: a
subscription in the "sipkd" shape to ``daily_close.closed`` is POSTed the same bytes the
treasury downloads (``treasury.sipkd``), signed as every delivery is. Set-up and what the
receiver checks: ``docs/treasury/sipkd-export.md``."""

from events import topics
from events.models import Delivery
from events.shapes import Body
from treasury.models import DailyClose
from treasury.sipkd import daily_close_export, daily_close_filename

SHAPE = "sipkd"
TOPICS = (topics.DAILY_CLOSE_CLOSED,)
CONTENT_TYPE = "text/csv; charset=utf-8"


def daily_close_file(delivery: Delivery) -> Body:
    """The closed day's SIPKD file. A closed day never changes, so a retry days later sends
    the same rows (``rekening_rkud`` and ``bank`` follow the settings of the day it is sent)."""
    close = DailyClose.objects.get(pk=delivery.event.object_id)
    return Body(CONTENT_TYPE, daily_close_export(close), daily_close_filename(close))

"""What the treasury tells subscribed systems (``events``), in the transaction of the change, on
the one transition that happens once. The city's finance system hears of each closed day and,
subscribed in the "sipkd" shape (``integrations.sipkd_push``), receives its file."""

from events import topics
from events.services import publish
from treasury.models import DailyClose


def day_closed(*, close: DailyClose) -> None:
    publish(topic=topics.DAILY_CLOSE_CLOSED, object_type="daily_close", object_id=close.pk,
            payload={
                "day": close.day.isoformat(),
                "sts_number": close.sts_number,
                "total": close.total,
                "entry_count": close.entry_count,
            })

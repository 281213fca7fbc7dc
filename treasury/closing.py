"""Closing a business day: from then on its books are sealed.

A day closes when it is not in the future, is not closed yet, and no exception of that day or
an earlier one is unresolved (the treasury answers for every rupiah first). The close takes the
books' lock exclusively, so no entry is being recorded into the day while it is counted; its
seal (entry count and total) lets anyone check later that nothing changed; its deposit summary
(STS) takes the next gap-free number of the day's year (``treasury.numbering``). Money found
after the close lands in the first open day and names the day it moved (``treasury.ledger``).
"""

import logging
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from licensing.services import sequence_next
from treasury import numbering, outbound
from treasury.access import is_treasury
from treasury.ledger import lock_books
from treasury.models import DailyClose, LedgerEntry
from treasury.selectors.closing import exceptions_blocking_by_kind
from workflows.models import TransitionLog

logger = logging.getLogger("izin.treasury")


class DayNotClosable(Exception):
    """The day cannot close now. ``reasons`` are translated sentences, safe to show."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons

    @property
    def message(self) -> str:
        return " ".join(self.reasons)


def _refusals(day: date) -> list[str]:
    shown = formats.date_format(day, "j F Y")
    if day > timezone.localdate():
        return [_("%(day)s is still to come; a day can be closed from the day itself on.")
                % {"day": shown}]
    if DailyClose.objects.filter(day=day).exists():
        return [_("%(day)s is already closed.") % {"day": shown}]
    blocking = exceptions_blocking_by_kind(day=day)
    if not blocking:
        return []
    count = sum(number for _label, number in blocking)
    kinds = ", ".join(f"{label} ({number})" for label, number in blocking)
    return [ngettext(
        "%(count)d exception of this day or an earlier one is not resolved: %(kinds)s.",
        "%(count)d exceptions of this day or earlier ones are not resolved: %(kinds)s.",
        count) % {"count": count, "kinds": kinds}]


def day_close(*, day: date, actor) -> DailyClose:
    """Close ``day`` for good, sealing its entry count and total and numbering its STS; audited.
    Treasury staff only.

    Raises ``DayNotClosable`` (with every reason) for a future day, a day already closed, or a
    day with unresolved exceptions of that day or earlier."""
    if not is_treasury(actor):
        raise PermissionDenied
    try:
        with transaction.atomic():
            lock_books(exclusive=True)
            if reasons := _refusals(day):
                raise DayNotClosable(reasons)
            sealed = LedgerEntry.objects.filter(book_day=day).aggregate(
                entries=Count("pk"), total=Sum("amount"))
            # Numbered after every refusal, so only a close that happens takes a number.
            sts = numbering.sts_number(year=day.year, seq=sequence_next(
                key=numbering.SEQUENCE_KEY, year=day.year))
            close = DailyClose.objects.create(day=day, closed_by=actor,
                                              entry_count=sealed["entries"],
                                              total=sealed["total"] or 0, sts_number=sts)
            TransitionLog.objects.create(
                content_type=ContentType.objects.get_for_model(DailyClose), object_id=close.pk,
                transition="close", source="open", target="closed", actor=actor,
                note=f"entries={close.entry_count} total={close.total} sts={sts}",
            )
            # With the close, under the books' lock: a close that rolls back tells nobody.
            outbound.day_closed(close=close)
    except IntegrityError as error:
        # Two closes at once on a database without the advisory lock: the unique day decides.
        raise DayNotClosable([_("%(day)s is already closed.")
                              % {"day": formats.date_format(day, "j F Y")}]) from error
    logger.info("day_closed day=%s sts=%s entries=%s total=%s actor_id=%s", day, sts,
                close.entry_count, close.total, actor.pk)
    return close

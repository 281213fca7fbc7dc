"""Recomputing the hash chains (``workflows.audit_chain``) and telling the administrators when
one is broken. Every chained table is found in the app registry (the audit trail here, the
ledger in the treasury), so this module needs no import of the apps built on workflows."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models.functions import TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from licensing import roles
from notifications.services import notify
from workflows.audit_chain import (
    CHAIN_TIME_ZONE,
    ChainedEntry,
    chain_day,
    day_bounds,
    entry_hash,
    genesis,
    seal_pending,
)

logger = logging.getLogger("izin.audit")

# Why an entry fails verification, told to the administrator.
REASONS = {
    "changed": _("changed after it was written"),
    "unlinked": _("no longer linked to the entry before it (an entry was removed or moved)"),
    "missing_end": _("the last entry of the day: entries written after it are missing"),
    "unsealed": _("not chained"),
    "emptied": _("missing: the day's entries were removed"),
}


@dataclass(frozen=True)
class ChainBreak:
    """The first entry of one day's chain that fails verification, and how many fail."""

    model: type[models.Model]
    day: date
    entry_id: int  # 0 when none is left
    reason: str
    failing: int

    @property
    def chain(self) -> str:
        return self.model._meta.db_table


def chained_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if issubclass(model, ChainedEntry)]


def chain_verify(*, model, day: date) -> ChainBreak | None:
    """Recompute ``model``'s chain of ``day``, entry by entry in chain order, and compare the
    end with the day's head. None when intact."""
    chain, fields = model._meta.db_table, model.chain_fields
    head = apps.get_model("workflows", "ChainHead").objects.filter(chain=chain, day=day).first()
    start, end = day_bounds(day)
    rows = (models.QuerySet(model).filter(created_at__gte=start, created_at__lt=end)
            .order_by("chain_seq", "pk").values(*fields, "chain_seq", "prev_hash", "hash"))
    first, failing = None, 0
    prev_hash, seq, last_id = genesis(chain, day), 0, None
    for row in rows.iterator(chunk_size=2000):
        if not row["hash"]:
            reason = "unsealed"
        elif entry_hash(row, fields=fields, prev_hash=row["prev_hash"],
                        seq=row["chain_seq"]) != row["hash"]:
            reason = "changed"
        elif row["prev_hash"] != prev_hash or row["chain_seq"] != seq + 1:
            reason = "unlinked"
        else:
            reason = None
        if reason:
            failing += 1
            first = first or (row["id"], reason)
        prev_hash, seq, last_id = row["hash"], row["chain_seq"], row["id"]
    if first is None and last_id is not None and (head is None or (head.seq, head.hash)
                                                   != (seq, prev_hash)):
        first, failing = (last_id, "missing_end"), 1
    elif last_id is None and head is not None and head.seq:
        first, failing = (0, "emptied"), head.seq
    if first is None:
        return None
    return ChainBreak(model=model, day=day, entry_id=first[0], reason=first[1], failing=failing)


def chain_days(*, model, since: date | None = None) -> list[date]:
    """The days ``model`` has entries or a chain head on (from ``since``)."""
    entries = models.QuerySet(model).annotate(
        chain_day=TruncDate("created_at", tzinfo=CHAIN_TIME_ZONE))
    heads = apps.get_model("workflows", "ChainHead").objects.filter(chain=model._meta.db_table)
    if since:
        entries = entries.filter(created_at__gte=day_bounds(since)[0])
        heads = heads.filter(day__gte=since)
    days = set(entries.values_list("chain_day", flat=True).distinct())
    return sorted(days | set(heads.values_list("day", flat=True)))


Result = tuple[type[models.Model], date, ChainBreak | None]


def audit_verify(*, days: list[date] | None = None, since: date | None = None) -> list[Result]:
    """Every chain on ``days`` (or each day it has since ``since``, or all): one result per
    table and day."""
    results = []
    for model in chained_models():
        if connection.vendor != "postgresql":
            # No trigger seals here: a raw INSERT waits for the next insert through the ORM.
            seal_pending(model)
        for day in days if days is not None else chain_days(model=model, since=since):
            results.append((model, day, chain_verify(model=model, day=day)))
    return results


def administrators() -> list:
    users = get_user_model().objects.filter(is_active=True)
    return list((users.filter(groups__name=roles.ADMINISTRATOR) | users.filter(is_superuser=True))
                .distinct().order_by("pk"))


def _review_url(model) -> str:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    except NoReverseMatch:
        return reverse("admin:workflows_transitionlog_changelist")


def audit_alert(*, broken: ChainBreak) -> None:
    """Log the break and tell the administrators, once per table, day and first entry."""
    logger.error("audit_chain_broken chain=%s day=%s entry_id=%s reason=%s failing=%s",
                 broken.chain, broken.day.isoformat(), broken.entry_id, broken.reason,
                 broken.failing)
    notify(
        recipients=administrators(),
        # The table too: an audit entry and a ledger entry may share an id and a day.
        event_key=f"audit-broken:{broken.day.isoformat()}:{broken.chain}:{broken.entry_id}",
        kind="audit.broken",
        subject=_("Tampering found in the %(records)s of %(day)s"),
        body=_("The nightly verification of the %(records)s of %(day)s found entry #%(entry)s "
               "%(reason)s; %(failing)s entries of that day fail verification. These records "
               "are append-only: find out who changed the database, and how."),
        params={"records": broken.model._meta.verbose_name_plural,
                "day": broken.day.isoformat(),
                "entry": broken.entry_id, "reason": REASONS[broken.reason],
                "failing": broken.failing},
        url=_review_url(broken.model),
    )


def audit_verify_recent(*, today: date | None = None) -> int:
    """Beat's nightly check: yesterday's and today's chains of every table; each break is
    logged and told to the administrators (once, however often this runs). Returns how many
    chains are broken."""
    today = today or chain_day(timezone.now())
    broken = [result for _model, _day, result in audit_verify(days=[today - timedelta(1), today])
              if result]
    for result in broken:
        audit_alert(broken=result)
    return len(broken)

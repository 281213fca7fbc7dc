"""Hash chains that make append-only tables tamper-evident (the audit trail, the ledger).

Each entry carries ``hash``: sha256 of a canonical serialisation of its own fields together with
its position in the day's chain (``chain_seq``) and the hash of the entry before it
(``prev_hash``). A chain runs per table and per Asia/Jakarta day of ``created_at``; the first
entry of a day chains to a fixed genesis (sha256 of the table and the date). Changing an entry
breaks its own hash; removing one breaks the next one's ``prev_hash``; moving one breaks both.

Who links: on PostgreSQL a deferred trigger seals each new row when its transaction commits
(``izin_chain_seal``, installed by migration ``workflows.0004``), so every insert is chained,
the ORM's and a raw ``INSERT … SELECT`` alike, and the lock that orders the chain is held for
the commit only, never while the transaction waits for other row locks. Elsewhere (SQLite:
development and tests, one writer at a time) ``seal_pending`` does the same in Python after each
insert. The serialisation below and the trigger's must stay identical: the PostgreSQL tests
recompute in Python what the trigger stored.
"""

import hashlib
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connections, models
from django.utils.translation import gettext_lazy as _

# Fixed, not settings.TIME_ZONE: a chain's days may never move once written.
CHAIN_TIME_ZONE = ZoneInfo("Asia/Jakarta")
HASH_LENGTH = 64


class ChainedEntry(models.Model):
    """An append-only entry of a chain. Subclasses name the fields the hash covers
    (``chain_fields``, attnames, ``id`` and ``created_at`` included); that list is frozen in the
    migration that installs the trigger: change it only with a new migration and a new chain."""

    chain_fields: tuple[str, ...] = ()

    # Empty until sealed. Defaults in the database too: a raw INSERT (treasury's exceptions
    # write their history with INSERT … SELECT) names no chain column and is sealed all the same.
    chain_seq = models.PositiveIntegerField(_("position in the day's chain"), default=0,
                                            db_default=0, editable=False)
    prev_hash = models.CharField(_("hash of the entry before"), max_length=HASH_LENGTH,
                                 default="", db_default="", editable=False)
    hash = models.CharField(_("hash"), max_length=HASH_LENGTH, default="", db_default="",
                            editable=False)

    class Meta:
        abstract = True


class ChainedQuerySet(models.QuerySet):
    """Seals rows created in bulk where no trigger does (SQLite)."""

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        seal_after_insert(self.model, using=self.db, instances=created)
        return created


def chain_day(created_at: datetime) -> date:
    return created_at.astimezone(CHAIN_TIME_ZONE).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The instants a chain day starts and ends (end excluded)."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=CHAIN_TIME_ZONE)
    return start, start + timedelta(days=1)


def genesis(chain: str, day: date) -> str:
    """What the first entry of ``chain`` (a table name) on ``day`` chains to."""
    return hashlib.sha256(f"{chain}:{day.isoformat()}".encode()).hexdigest()


def _canonical_value(name: str, value):
    if name == "created_at":  # UTC with microseconds: independent of the session's time zone
        return value.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def canonical(values: dict, *, fields: tuple[str, ...], prev_hash: str, seq: int) -> str:
    """``[prev_hash, seq, field values…]`` as JSON, written the way PostgreSQL's ``to_json``
    writes it (", " between items, only control characters, quotes and backslashes escaped)."""
    items = [prev_hash, seq, *(_canonical_value(name, values[name]) for name in fields)]
    return json.dumps(items, ensure_ascii=False)


def entry_hash(values: dict, *, fields: tuple[str, ...], prev_hash: str, seq: int) -> str:
    text = canonical(values, fields=fields, prev_hash=prev_hash, seq=seq)
    return hashlib.sha256(text.encode()).hexdigest()


def seal_after_insert(model, *, using: str, instances=()) -> None:
    """After an insert through the ORM: on PostgreSQL the trigger seals at commit; elsewhere
    seal now and copy the chain fields onto ``instances`` (they are what the row holds)."""
    if connections[using].vendor == "postgresql":
        return
    sealed = seal_pending(model, using=using)
    for instance in instances:
        if instance.pk in sealed:
            instance.chain_seq, instance.prev_hash, instance.hash = sealed[instance.pk]


def seal_pending(model, *, using: str = "default", head_model=None,
                 fields: tuple[str, ...] | None = None) -> dict[int, tuple[int, str, str]]:
    """Chain every unsealed row of ``model`` in id order. For SQLite (one writer at a time) and
    for migrations (rows written before the chain existed); on PostgreSQL the trigger does it.
    ``head_model`` and ``fields`` let a migration pass its historical model and frozen list.
    Returns ``{id: (seq, prev_hash, hash)}`` of the rows sealed."""
    if head_model is None:
        from django.apps import apps  # the registry, not workflows.models: no import cycle

        head_model = apps.get_model("workflows", "ChainHead")
    fields = fields or model.chain_fields
    chain = model._meta.db_table
    rows = models.QuerySet(model, using=using).filter(hash="").order_by("pk").values(*fields)
    heads, sealed = {}, {}
    for row in rows:
        day = chain_day(row["created_at"])
        if day not in heads:
            heads[day] = (head_model.objects.using(using).filter(chain=chain, day=day).first()
                          or head_model(chain=chain, day=day, seq=0, hash=genesis(chain, day)))
        head = heads[day]
        seq, prev_hash = head.seq + 1, head.hash
        digest = entry_hash(row, fields=fields, prev_hash=prev_hash, seq=seq)
        # The plain QuerySet: the model's own refuses every update, this one fills a new row.
        models.QuerySet(model, using=using).filter(pk=row["id"]).update(
            chain_seq=seq, prev_hash=prev_hash, hash=digest)
        head.seq, head.hash = seq, digest
        sealed[row["id"]] = (seq, prev_hash, digest)
    for head in heads.values():
        head.save(using=using)
    return sealed

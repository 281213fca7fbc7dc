"""The chain arrives on a running office: audit entries written before it are chained by the
migration, day by day in the order they were written, and verify."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.migrating import migrate, migrate_to_latest
from workflows.audit_chain import chain_day
from workflows.audit_verify import chain_verify
from workflows.models import TransitionLog

BEFORE = [("workflows", "0004_audit_chain")]
AFTER = [("workflows", "0005_audit_chain_seal")]



@pytest.mark.django_db(transaction=True)
def test_entries_written_before_the_chain_are_chained_by_the_migration():
    old = migrate(BEFORE)
    try:
        log = old.get_model("workflows", "TransitionLog")
        content_type = old.get_model("contenttypes", "ContentType").objects.first()
        written = [log.objects.create(content_type=content_type, object_id=n, transition="t",
                                      source="a", target="b", note=f"old {n}").pk
                   for n in range(3)]
        yesterday = timezone.now() - timedelta(days=1)
        log.objects.filter(pk=written[0]).update(created_at=yesterday)
        assert not log.objects.exclude(hash="").exists()

        migrate(AFTER)
        entries = {entry.pk: entry for entry in TransitionLog.objects.all()}
        assert [entries[pk].chain_seq for pk in written] == [1, 1, 2]
        for day in (chain_day(yesterday), chain_day(timezone.now())):
            assert chain_verify(model=TransitionLog, day=day) is None
    finally:
        migrate_to_latest()

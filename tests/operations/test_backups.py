"""A backup holds the database and every private file with its checksum; a damaged backup is
refused before anything is touched (the whole round trip: test_restore_drill.py)."""

import json

import pytest

from licensing.models import Permit
from operations.backups import MANIFEST, BackupError, backup_make, backup_restore
from tests.documents.permits import issued

# Outside a test transaction, as the command runs: SQLite backs up only what is committed.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_backup_holds_the_database_and_every_private_file(
        django_capture_on_commit_callbacks, tmp_path):
    permit = issued(django_capture_on_commit_callbacks)
    summary = backup_make(folder=tmp_path / "backup")

    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert summary.files == len(manifest["files"]) >= 1
    stored = manifest["files"][permit.file.name]
    assert stored["sha256"] == permit.sha256
    assert (tmp_path / "backup" / "files" / permit.file.name).read_bytes() == (
        permit.file.open("rb").read())
    assert (tmp_path / "backup" / "database.dump").stat().st_size > 0


def test_a_damaged_backup_is_refused_before_anything_is_touched(
        django_capture_on_commit_callbacks, tmp_path):
    permit = issued(django_capture_on_commit_callbacks)
    backup_make(folder=tmp_path / "backup")
    name, storage = permit.file.name, permit.file.storage
    copy = tmp_path / "backup" / "files" / name
    copy.write_bytes(copy.read_bytes()[:-1] + b"X")
    storage.delete(name)  # the live file is gone: a restore would put it back

    with pytest.raises(BackupError, match=r"damaged or missing in the backup: .*\.pdf"):
        backup_restore(folder=tmp_path / "backup")
    assert not storage.exists(name)  # nothing was put back
    assert Permit.objects.filter(pk=permit.pk).exists()


def test_a_folder_without_a_manifest_is_not_a_backup(tmp_path):
    with pytest.raises(BackupError, match=r"no readable manifest\.json"):
        backup_restore(folder=tmp_path)

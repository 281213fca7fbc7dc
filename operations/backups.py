"""Backups of the database and the private files together, and restoring them.

A backup is a folder: ``database.dump`` (PostgreSQL's custom format, or a copy of the SQLite
file), ``files/`` (every private file: evidence and signed documents) and ``manifest.json``
(each file's SHA-256, and the dump's). The database is dumped first and the files copied after:
a stored file is never overwritten or deleted, so every file the dump refers to is already
there when the copy starts. A restore checks every checksum before it touches anything, loads
the database, then puts back every file, byte for byte.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
from django.core.files import File
from django.db import connection

from config.storage import private_storage

MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"
# Readiness probes write and delete a file under this prefix; it is never part of a backup.
SKIPPED_PREFIXES = ("readyz/",)
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup is incomplete or damaged, or the database tools failed; nothing was lost."""


@dataclass(frozen=True)
class BackupSummary:
    folder: Path
    files: int
    bytes: int


def _sha256_of(handle) -> str:
    """Read in chunks: evidence files may be tens of megabytes."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return _sha256_of(handle)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _pg_env() -> tuple[dict, list[str]]:
    """The server's address for the PostgreSQL tools; the password only in their environment."""
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432),
            "--username", db.get("USER") or "postgres"]
    return env, args


def _run(command: list[str], env: dict) -> None:
    # The command is ours (pg_dump, pg_restore) with the settings' own database name.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _dump_database(target: Path) -> None:
    if _is_postgres():
        env, args = _pg_env()
        _run(["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(target), connection.settings_dict["NAME"]], env)
        return
    if connection.in_atomic_block:
        # SQLite copies only what is committed, and waits for an open transaction for ever.
        raise BackupError("back up SQLite outside a transaction")
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)


def _walk(storage, folder: str = ""):
    directories, files = storage.listdir(folder)
    for name in files:
        path = f"{folder}/{name}" if folder else name
        if not path.startswith(SKIPPED_PREFIXES):
            yield path
    for directory in directories:
        path = f"{folder}/{directory}" if folder else directory
        if not f"{path}/".startswith(SKIPPED_PREFIXES):
            yield from _walk(storage, path)


def backup_make(*, folder: Path) -> BackupSummary:
    """Dump the database, then copy every private file, into a new ``folder``."""
    folder.mkdir(parents=True, exist_ok=False)
    _dump_database(folder / DUMP)
    storage = private_storage()
    files, total = {}, 0
    for name in sorted(_walk(storage)):
        target = folder / FILES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy, CHUNK)
        files[name] = {"sha256": _sha256(target), "size": target.stat().st_size}
        total += files[name]["size"]
    manifest = {
        "made_at": datetime.now(UTC).isoformat(),
        "database": {"vendor": connection.vendor, "sha256": _sha256(folder / DUMP)},
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return BackupSummary(folder=folder, files=len(files), bytes=total)


def _manifest_checked(folder: Path) -> dict:
    """The manifest, once every byte it names is there as it was written."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"no readable {MANIFEST} in {folder}") from error
    if manifest["database"]["vendor"] != connection.vendor:
        raise BackupError(f"a {manifest['database']['vendor']} backup cannot be restored into "
                          f"{connection.vendor}")
    damaged = [] if _sha256(folder / DUMP) == manifest["database"]["sha256"] else [DUMP]
    for name, entry in manifest["files"].items():
        path = folder / FILES / name
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            damaged.append(name)
    if damaged:
        raise BackupError("damaged or missing in the backup: " + ", ".join(damaged[:20]))
    return manifest


def _restore_database(dump: Path) -> None:
    if _is_postgres():
        name = connection.settings_dict["NAME"]
        connection.close()
        env, args = _pg_env()
        _create_database_if_missing(name)
        _run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", "--dbname", name, str(dump)], env)
        return
    connection.ensure_connection()
    with sqlite3.connect(dump) as source:
        source.backup(connection.connection)


def _create_database_if_missing(name: str) -> None:
    db = connection.settings_dict
    admin = psycopg2.connect(dbname="postgres", user=db.get("USER") or None,
                             password=db.get("PASSWORD") or None,
                             host=db.get("HOST") or None, port=db.get("PORT") or None)
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()


def backup_restore(*, folder: Path) -> BackupSummary:
    """Put the database and the private files back as they were in the backup."""
    manifest = _manifest_checked(folder)
    _restore_database(folder / DUMP)
    storage = private_storage()
    total = 0
    for name, entry in manifest["files"].items():
        if storage.exists(name):
            with storage.open(name, "rb") as present:
                if _sha256_of(present) == entry["sha256"]:
                    total += entry["size"]
                    continue
            storage.delete(name)
        with (folder / FILES / name).open("rb") as source:
            saved = storage.save(name, File(source, name=name))
        if saved != name:
            raise BackupError(f"{name} was stored as {saved}")
        total += entry["size"]
    return BackupSummary(folder=folder, files=len(manifest["files"]), bytes=total)

"""Whether this process can do its work: each dependency asked once, with a short timeout, so
a load balancer's probe never hangs on a dead one."""

import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection

from config.celery import app as celery_app
from config.storage import private_storage
from documents.offline_token import private_key
from documents.signing import signing_key_check

logger = logging.getLogger("izin.operations")

BROKER_TIMEOUT_SECONDS = 2


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # the embedded default: tasks run in the process, there is no broker to ask
    # The configured broker itself (Celery would let a CELERY_BROKER_URL variable override it).
    with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)


def _cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def _storage() -> None:
    storage = private_storage()
    name = storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ready"))
    try:
        with storage.open(name) as stored:
            if stored.read() != b"ready":
                raise RuntimeError("the private storage returned other bytes")
    finally:
        storage.delete(name)


def _signing() -> None:
    signing_key_check()
    private_key()  # the offline token's key, printed into every QR code


CHECKS = {
    "database": _database,
    "broker": _broker,
    "cache": _cache,
    "storage": _storage,
    "signing": _signing,
}


def readiness() -> list[Check]:
    results = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure means not ready; the type says which
            logger.warning("readiness_failed check=%s error=%s", name, type(error).__name__)
            results.append(Check(name=name, ok=False, detail=type(error).__name__))
        else:
            results.append(Check(name=name, ok=True))
    return results

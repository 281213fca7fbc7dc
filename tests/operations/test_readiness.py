"""/healthz answers while the process does; /readyz answers 200 only while the database, the
broker, the cache, the private storage and the signing keys all work, each asked for real."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db

DEAD_PORT = 1  # nothing listens on port 1 of this machine: a real refused connection


def ready(client):
    response = client.get("/readyz")
    return response.status_code, response.json()["checks"]


def test_healthz_answers_without_asking_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_200_when_every_dependency_works(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # ask the real broker (CI's Redis)
    status, checks = ready(client)
    assert status == 200, checks
    assert checks == {"database": "ok", "broker": "ok", "cache": "ok", "storage": "ok",
                      "signing": "ok"}


def test_readyz_fails_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{DEAD_PORT}/0"
    status, checks = ready(client)
    assert status == 503
    assert checks["broker"] != "ok"
    assert checks["database"] == checks["storage"] == "ok"


def test_readyz_fails_when_the_cache_is_down(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{DEAD_PORT}/0"}}
    status, checks = ready(client)
    assert status == 503
    assert checks["cache"] == "ConnectionError"


def test_readyz_fails_when_the_private_storage_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    settings.PRIVATE_MEDIA_ROOT = str(blocker / "private")
    status, checks = ready(client)
    assert status == 503
    assert checks["storage"] in {"NotADirectoryError", "FileExistsError"}


def test_readyz_fails_when_the_signing_key_is_missing(client, settings, tmp_path):
    settings.SIGNING_DEV_DIR = str(tmp_path / "empty")
    status, checks = ready(client)
    assert status == 503
    assert checks["signing"] != "ok"


def test_readyz_fails_when_the_database_is_down(signing_dir):
    """In a process of its own, pointed at a PostgreSQL port where nothing listens."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": f"postgres://postgres@127.0.0.1:{DEAD_PORT}/izin",
           "SIGNING_DEV_DIR": str(signing_dir)}
    code = ("import django, json; django.setup()\n"
            "from django.test import Client\n"
            "response = Client().get('/readyz')\n"
            "print(json.dumps([response.status_code, response.json()]))")
    result = subprocess.run([sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body["checks"]["database"] == "OperationalError"


def test_a_load_balancer_probes_a_node_by_its_address_over_plain_http(client, settings):
    settings.ALLOWED_HOSTS = ["izin.pekanbaru.go.id"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.head("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    # Every other page still insists on the site's own name and on HTTPS.
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400
    assert client.get("/", HTTP_HOST="izin.pekanbaru.go.id").status_code == 301

"""Safe defaults: manage.py, the WSGI entry and Celery start with the production settings; those
refuse to load without every address and secret a live site needs; and Django's deployment
checks pass under them with no warning. Each case imports the settings in a fresh interpreter
with only the environment given here."""

import json
import os
import subprocess
import sys

import pytest

from config.env import BASE_DIR

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k7Vq2m9XyL4pR8sT1wZ6nB3cF5hJ0dG-aE7uK2iO9yQ4vM1xN8bW3zS6tP5rC0lH",
    "DJANGO_ALLOWED_HOSTS": "izin.pekanbaru.go.id",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://izin.pekanbaru.go.id",
    "DATABASE_URL": "postgres://izin@127.0.0.1:1/izin",  # parsed, never connected
    "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
    "CACHE_URL": "redis://127.0.0.1:1/1",
    "SITE_URL": "https://izin.pekanbaru.go.id",
    "SIGNING_PKCS12_PATH": "/nonexistent/office.p12",
    "SIGNING_PKCS12_PASSPHRASE": "not-read-at-import",
    "SIGNING_TRUST_ROOTS_PATH": "/nonexistent/roots.pem",
    "VERIFY_TOKEN_KEY_PATH": "/nonexistent/token.pem",
    "EMAIL_HOST": "smtp.pekanbaru.go.id",
    "DEFAULT_FROM_EMAIL": "izin@pekanbaru.go.id",
    "PAYMENT_GATEWAY_URL": "https://pay.gateway.example.id",
    "PAYMENT_GATEWAY_SECRET_KEY": "sk_live_not_a_real_key",
    "PAYMENT_WEBHOOK_SECRETS": "whsec_one,whsec_two",
}
REQUIRED = [name for name in PRODUCTION_ENV
            if name not in ("DJANGO_ALLOWED_HOSTS", "DJANGO_CSRF_TRUSTED_ORIGINS")]


def run(args: list[str], **env) -> subprocess.CompletedProcess:
    """``args`` in a fresh interpreter, with no DJANGO_SETTINGS_MODULE unless ``env`` names it
    and nothing else of the machine's configuration but PATH and HOME. A value of None leaves
    that variable out."""
    clean = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    merged = {**clean, **PRODUCTION_ENV, **env}
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, capture_output=True, text=True,
                          env={k: v for k, v in merged.items() if v is not None}, timeout=120,
                          check=False)


READ = ("import json; from django.conf import settings as s; print(json.dumps({n: getattr(s, n) "
        "for n in ('SETTINGS_MODULE', 'DEBUG', 'SIGNING_DEV_DIR', 'SIGNING_TRUST_ROOTS_PATH', "
        "'PAYMENT_WEBHOOK_SECRETS', 'DEFAULT_FROM_EMAIL', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD')}))")


def production_settings(**env) -> dict:
    done = run(["-c", READ], DJANGO_SETTINGS_MODULE="config.settings.production", **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_production_loads_with_everything_given():
    read = production_settings()
    assert read["DEBUG"] is False
    assert read["SIGNING_DEV_DIR"] == ""  # the development CA folder is never read
    assert read["SIGNING_TRUST_ROOTS_PATH"] == "/nonexistent/roots.pem"
    assert read["PAYMENT_WEBHOOK_SECRETS"] == ["whsec_one", "whsec_two"]
    assert read["DEFAULT_FROM_EMAIL"] == "izin@pekanbaru.go.id"
    assert (read["SECURE_HSTS_SECONDS"], read["SECURE_HSTS_INCLUDE_SUBDOMAINS"],
            read["SECURE_HSTS_PRELOAD"]) == (31536000, True, True)


def test_hsts_subdomains_and_preload_are_settings():
    read = production_settings(DJANGO_HSTS_INCLUDE_SUBDOMAINS="false", DJANGO_HSTS_PRELOAD="false")
    assert (read["SECURE_HSTS_INCLUDE_SUBDOMAINS"], read["SECURE_HSTS_PRELOAD"]) == (False, False)


@pytest.mark.parametrize("name", REQUIRED)
def test_production_refuses_to_start_without(name):
    # Left out; the secret key set empty instead, as a developer's .env file may hold one.
    missing = "" if name == "DJANGO_SECRET_KEY" else None
    done = run(["-c", READ], DJANGO_SETTINGS_MODULE="config.settings.production",
               **{name: missing})
    assert done.returncode != 0
    assert name in done.stderr


def test_webhook_secrets_of_only_commas_are_none():
    done = run(["-c", READ], DJANGO_SETTINGS_MODULE="config.settings.production",
               PAYMENT_WEBHOOK_SECRETS=" , ")
    assert done.returncode != 0 and "PAYMENT_WEBHOOK_SECRETS" in done.stderr


def test_manage_py_defaults_to_production():
    shown = run(["manage.py", "shell", "-c",
                 "from django.conf import settings; print(settings.SETTINGS_MODULE)"])
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == "config.settings.production"
    # With nothing configured it refuses to start, rather than fall back to the demo's settings.
    bare = run(["manage.py", "check"], DJANGO_SECRET_KEY="")
    assert bare.returncode != 0 and "DJANGO_SECRET_KEY must be set" in bare.stderr


@pytest.mark.parametrize("module", ["config.celery", "config.wsgi"])
def test_the_workers_and_the_web_server_default_to_production(module):
    done = run(["-c", f"import os, {module}; print(os.environ['DJANGO_SETTINGS_MODULE'])"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "config.settings.production"


def test_the_deployment_checks_pass_without_a_warning():
    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout

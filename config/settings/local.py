"""`make run`: one machine, no servers. SQLite, eager Celery, console e-mail, files on disk."""

from config.env import env_bool, env_list, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)
# `make run` writes a random key into .env; this fallback only keeps one-off commands working.
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or "local-only-not-a-secret"
# Without a broker, tasks run in the request that queued them (after its commit).
CELERY_TASK_ALWAYS_EAGER = env_str("CELERY_BROKER_URL") is None
CELERY_TASK_EAGER_PROPAGATES = True

# The sandbox gateway in this same process: the whole payment flow with no account anywhere.
# README.md ("Pointing a Stripe client at the sandbox") lists these values; keep them in step.
PAYMENT_SANDBOX_ENABLED = env_bool("PAYMENT_SANDBOX_ENABLED", True)
PAYMENT_GATEWAY_URL = env_str("PAYMENT_GATEWAY_URL") or "http://127.0.0.1:8000/sandbox/stripe"
PAYMENT_GATEWAY_SECRET_KEY = env_str("PAYMENT_GATEWAY_SECRET_KEY") or "sk_test_izin_sandbox"
PAYMENT_WEBHOOK_SECRETS = env_list("PAYMENT_WEBHOOK_SECRETS", "whsec_izin_sandbox")
PAYMENT_SANDBOX_SECRET_KEY = env_str("PAYMENT_SANDBOX_SECRET_KEY") or "sk_test_izin_sandbox"
PAYMENT_SANDBOX_WEBHOOK_SECRET = env_str("PAYMENT_SANDBOX_WEBHOOK_SECRET") or "whsec_izin_sandbox"
PAYMENT_SANDBOX_WEBHOOK_URL = (env_str("PAYMENT_SANDBOX_WEBHOOK_URL")
                               or "http://127.0.0.1:8000/payments/webhooks/stripe/")
# The demo pays out at once, so `manage.py sandbox_payout` has something to show.
PAYMENT_SANDBOX_BALANCE_DELAY_HOURS = int(env_str("PAYMENT_SANDBOX_BALANCE_DELAY_HOURS") or 0)
# `manage.py seed_demo` (make run): the demo, which uses the sandbox's payments too.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
if PAYMENT_SANDBOX_ENABLED:
    INSTALLED_APPS = [*INSTALLED_APPS, "payments.sandbox"]
    CELERY_BEAT_SCHEDULE = {**CELERY_BEAT_SCHEDULE, **PAYMENT_SANDBOX_BEAT_SCHEDULE}  # noqa: F405
# The OSS sandbox in this same process: a typed NIB is looked up in its registry, and a
# subscription in the "oss_license_status" shape tells it of permits (docs/integrations/oss.md).
OSS_SANDBOX_ENABLED = env_bool("OSS_SANDBOX_ENABLED", True)
OSS_BASE_URL = env_str("OSS_BASE_URL") or ""  # `make run` points it at /sandbox/oss
OSS_API_KEY = env_str("OSS_API_KEY") or "oss_test_izin_sandbox"
OSS_SANDBOX_API_KEY = env_str("OSS_SANDBOX_API_KEY") or "oss_test_izin_sandbox"
OSS_SANDBOX_SIGNING_SECRET = env_str("OSS_SANDBOX_SIGNING_SECRET") or "whsec_oss_sandbox"
OSS_KD_INSTANSI = env_str("OSS_KD_INSTANSI") or "471"  # a demo value
if OSS_SANDBOX_ENABLED:
    INSTALLED_APPS = [*INSTALLED_APPS, "integrations.oss_sandbox"]
    # The demo's subscription to the sandbox signs with the secret the sandbox checks.
    EVENTS_SUBSCRIPTION_SECRETS = {"oss-sandbox": OSS_SANDBOX_SIGNING_SECRET,
                                   **EVENTS_SUBSCRIPTION_SECRETS}  # noqa: F405
# One process: the local-memory cache is shared by everything that counts sign-in failures.
SILENCED_SYSTEM_CHECKS = ["axes.W001"]

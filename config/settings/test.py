"""The test suite. DATABASE_URL may point at PostgreSQL (CI does); otherwise SQLite in memory."""

from config.env import env_bool, env_str

from .base import *  # noqa: F403
from .base import BASE_DIR

SECRET_KEY = "test-only-not-a-secret"  # noqa: S105 (tests only, no data to protect)
DEBUG = False
ALLOWED_HOSTS = ["*"]
# Fast hashing: tests create many users; the production hasher is not under test here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run in the test that queues them; a real worker started by a test turns this off.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = True
PRIVATE_MEDIA_ROOT = env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "test-private"))

# The sandbox is the gateway integration tests talk to (over a live server).
PAYMENT_SANDBOX_ENABLED = True
INSTALLED_APPS = [*INSTALLED_APPS, "payments.sandbox", "demo"]  # noqa: F405
# Never resolves: a test that forgets to point the client at its live server fails fast.
PAYMENT_GATEWAY_URL = "http://gateway.invalid/sandbox/stripe"
PAYMENT_GATEWAY_SECRET_KEY = "sk_test_izin_sandbox"  # noqa: S105 (a test key, no account)
PAYMENT_WEBHOOK_SECRETS = ["whsec_izin_sandbox"]
PAYMENT_SANDBOX_SECRET_KEY = "sk_test_izin_sandbox"  # noqa: S105
PAYMENT_SANDBOX_WEBHOOK_SECRET = "whsec_izin_sandbox"  # noqa: S105
# No deliveries unless a test names its receiver (a live server or a local HTTP server).
PAYMENT_SANDBOX_WEBHOOK_URL = ""
PAYMENT_SANDBOX_BALANCE_DELAY_HOURS = 0  # funds available at once; tests set a delay to see pending
# The OSS sandbox (integrations.oss_sandbox). Izin's OSS lookup stays off (OSS_BASE_URL empty)
# unless a test points it at its live server's /sandbox/oss.
OSS_SANDBOX_ENABLED = True
INSTALLED_APPS = [*INSTALLED_APPS, "integrations.oss_sandbox"]
OSS_API_KEY = "oss_test_izin_sandbox"  # a test key, no account
OSS_SANDBOX_API_KEY = OSS_API_KEY
OSS_SANDBOX_SIGNING_SECRET = "whsec_oss_sandbox"  # noqa: S105
OSS_KD_INSTANSI = "471"  # a test value: the real code comes from the OSS desk
# Notifications: SMS and WhatsApp land in the sandbox's table, where tests read them.
NOTIFICATIONS_SMS_BACKEND = "notifications.channels.sandbox.SandboxChannel"
NOTIFICATIONS_WHATSAPP_BACKEND = "notifications.channels.sandbox.SandboxChannel"
# One process: the local-memory cache is shared by everything that counts sign-in failures.
SILENCED_SYSTEM_CHECKS = ["axes.W001"]

"""Production: every secret and address from the environment; refuse to start without them."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_list, env_required, env_str

from .base import *  # noqa: F403

SECRET_KEY = env_required("DJANGO_SECRET_KEY")
# PostgreSQL, never the embedded SQLite file (base.py's default when this is unset).
env_required("DATABASE_URL")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # TLS ends at the load balancer
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
# HSTS for every subdomain too, and eligible for the browsers' preload list. Both on by default;
# switch off only for a domain that still serves some subdomain over plain HTTP (preload is
# hard to undo once the domain has been submitted).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
CELERY_BROKER_URL = env_required("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
# Static files from the WSGI server itself (gunicorn alone serves a complete site), compressed,
# with content hashes in their names, so browsers and proxies keep them for a year
# (`collectstatic` writes them before the release serves; runserver serves them elsewhere).
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "whitenoise.middleware.WhiteNoiseMiddleware")
STORAGES = {**STORAGES,  # noqa: F405
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "text"  # noqa: F405

# Payments: the gateway, its key and the webhook secrets, none with a default here. Without
# them a business could not pay and every webhook would be refused (a 500 before this check).
PAYMENT_GATEWAY_URL = env_required("PAYMENT_GATEWAY_URL")
PAYMENT_GATEWAY_SECRET_KEY = env_required("PAYMENT_GATEWAY_SECRET_KEY")
PAYMENT_WEBHOOK_SECRETS = env_list("PAYMENT_WEBHOOK_SECRETS")
if not PAYMENT_WEBHOOK_SECRETS:
    raise ImproperlyConfigured("The environment variable PAYMENT_WEBHOOK_SECRETS must be set.")
# The sandbox stays off in production unless explicitly enabled (a staging site, say).
PAYMENT_SANDBOX_ENABLED = env_bool("PAYMENT_SANDBOX_ENABLED", False)
if PAYMENT_SANDBOX_ENABLED:
    PAYMENT_SANDBOX_SECRET_KEY = env_required("PAYMENT_SANDBOX_SECRET_KEY")
    PAYMENT_SANDBOX_WEBHOOK_SECRET = env_required("PAYMENT_SANDBOX_WEBHOOK_SECRET")
    INSTALLED_APPS = [*INSTALLED_APPS, "payments.sandbox"]  # noqa: F405
    CELERY_BEAT_SCHEDULE = {**CELERY_BEAT_SCHEDULE, **PAYMENT_SANDBOX_BEAT_SCHEDULE}  # noqa: F405
# The OSS sandbox likewise (a staging site); base.py reads OSS_SANDBOX_ENABLED.
if OSS_SANDBOX_ENABLED:  # noqa: F405
    OSS_SANDBOX_API_KEY = env_required("OSS_SANDBOX_API_KEY")
    OSS_SANDBOX_SIGNING_SECRET = env_required("OSS_SANDBOX_SIGNING_SECRET")
    INSTALLED_APPS = [*INSTALLED_APPS, "integrations.oss_sandbox"]
# Permits are signed with the office's certificate; development keys have no place here.
SIGNING_PKCS12_PATH = env_required("SIGNING_PKCS12_PATH")
SIGNING_PKCS12_PASSPHRASE = env_required("SIGNING_PKCS12_PASSPHRASE")
# The public "is this PDF genuine?" check trusts the office's own chain (a PEM bundle of the
# roots its certificate chains to), and nothing else: no development CA folder is ever read.
SIGNING_TRUST_ROOTS_PATH = env_required("SIGNING_TRUST_ROOTS_PATH")
SIGNING_DEV_DIR = ""
SITE_URL = env_required("SITE_URL")
# The offline-token key (Ed25519, PEM) and a cache every worker shares, so rate limits count
# a client's requests wherever they land.
VERIFY_TOKEN_KEY_PATH = env_required("VERIFY_TOKEN_KEY_PATH")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": env_required("CACHE_URL"),
                      # A cache that does not answer fails fast instead of holding a worker.
                      "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}
# The probes answer over plain HTTP: the load balancer asks each node directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# E-mail leaves through the office's SMTP relay (base.py prints it to the console).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_required("EMAIL_HOST")
# The sender every message carries: an address the relay may send for (SPF, DKIM), never a
# default that names another office.
DEFAULT_FROM_EMAIL = env_required("DEFAULT_FROM_EMAIL")
# Implicit TLS (usually port 465) or STARTTLS (587, the default); never both, never neither
# unless the relay is told so explicitly.
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
EMAIL_PORT = int(env_str("EMAIL_PORT") or (465 if EMAIL_USE_SSL else 587))
# A relay that wants a login gets its password from the environment only (never logged).
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_required("EMAIL_HOST_PASSWORD") if EMAIL_HOST_USER else ""
# Seconds. A dead mail server fails the send instead of hanging a worker (no timeout by default).
EMAIL_TIMEOUT = int(env_str("EMAIL_TIMEOUT") or 10)

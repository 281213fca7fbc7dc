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

# Payments: a configured gateway must come with its secrets; none has a default here.
if PAYMENT_GATEWAY_URL:  # noqa: F405
    PAYMENT_GATEWAY_SECRET_KEY = env_required("PAYMENT_GATEWAY_SECRET_KEY")
    PAYMENT_WEBHOOK_SECRETS = [
        secret.strip() for secret in env_required("PAYMENT_WEBHOOK_SECRETS").split(",")
        if secret.strip()
    ]
# The sandbox stays off in production unless explicitly enabled (a staging site, say).
PAYMENT_SANDBOX_ENABLED = env_bool("PAYMENT_SANDBOX_ENABLED", False)
if PAYMENT_SANDBOX_ENABLED:
    PAYMENT_SANDBOX_SECRET_KEY = env_required("PAYMENT_SANDBOX_SECRET_KEY")
    PAYMENT_SANDBOX_WEBHOOK_SECRET = env_required("PAYMENT_SANDBOX_WEBHOOK_SECRET")
    INSTALLED_APPS = [*INSTALLED_APPS, "payments.sandbox"]  # noqa: F405
    CELERY_BEAT_SCHEDULE = {**CELERY_BEAT_SCHEDULE, **PAYMENT_SANDBOX_BEAT_SCHEDULE}  # noqa: F405
# Permits are signed with the office's certificate; development keys have no place here.
SIGNING_PKCS12_PATH = env_required("SIGNING_PKCS12_PATH")
SIGNING_PKCS12_PASSPHRASE = env_required("SIGNING_PKCS12_PASSPHRASE")
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

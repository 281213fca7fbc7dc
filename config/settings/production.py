"""Production: every secret and address from the environment; refuse to start without them."""

from config.env import env_bool, env_list, env_required

from .base import *  # noqa: F403

SECRET_KEY = env_required("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # TLS ends at the load balancer
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
CELERY_BROKER_URL = env_required("CELERY_BROKER_URL")

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
                      "LOCATION": env_required("CACHE_URL")}}

"""Settings shared by every environment. Environment-specific modules import * from here."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from config.env import BASE_DIR, env_bool, env_list, env_required, env_str

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
# Earlier keys, still accepted while sessions and links signed with them expire (key rotation).
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_fsm",
    # Sign-in: failed attempts counted and locked out (axes), a second factor (otp).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The API for other systems (issue 13): DRF, its OpenAPI schema, Swagger UI's own files.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "notifications",
    "events",
    "licensing",
    "workflows",
    "payments",
    "documents",
    "treasury",
    "evaluation",
    "operations",
    "integrations",
    "api",
]

MIDDLEWARE = [
    # First: every log line of the request, and every task it queues, carries its id.
    "operations.requests.RequestIdMiddleware",
    "operations.probes.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # What a page may load, run and be framed by (CONTENT_SECURITY_POLICY below), and the
    # browser features no page uses (PERMISSIONS_POLICY).
    "config.security_headers.ContentSecurityPolicyMiddleware",
    "config.security_headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before common (it may redirect by language): Indonesian unless English was chosen.
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the body: an upload larger than its view allows is refused from
    # its declared size, unread (config/body_limit.py).
    "config.body_limit.DeclaredBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who signed in with a second factor; staff without one reach only the pages to set it up.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "licensing.signin.SessionPolicyMiddleware",
    "licensing.two_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it answers a locked-out sign-in (AxesBackend raised) with the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp 4): Izin's pages load only their own scripts, styles and
# images, never inline code, so an injected <script> or on…= attribute does not run; no site may
# frame them (clickjacking); forms post only to Izin, and to the payment gateway, whose origin
# config/security_headers.py adds from PAYMENT_GATEWAY_URL on every response.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# Where the gateway's hosted checkout page lives when it is not the API's origin (the browser
# is redirected there after the pay form; e.g. https://checkout.stripe.com).
PAYMENT_CHECKOUT_ORIGINS = env_list("PAYMENT_CHECKOUT_ORIGINS")
# Browser features no page of Izin uses are off; paying happens on the gateway's own page.
PERMISSIONS_POLICY = {
    "camera": [], "microphone": [], "geolocation": [], "usb": [], "payment": ["self"],
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "licensing.context_processors.navigation",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# SQLite is the embedded default so `make run` needs no server; CI and production set DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'izin.sqlite3'}"),
        conn_max_age=60,
    )
}
# Every request is one transaction: a failed step leaves nothing half-written.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A persistent connection is checked before each request reuses it: after the database dropped
# a backend, the next request reconnects instead of answering 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database that does not answer fails a request (or /readyz) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default: take the write lock when a transaction starts and wait for it, so two
    # requests at once queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A custom user model from the first migration (Django's own advice); people log in by e-mail.
AUTH_USER_MODEL = "licensing.User"
# Axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Guessing passwords: AXES_FAILURE_LIMIT wrong ones for one account, or from one address (the
# real client behind the trusted proxies), lock that account or address out for
# AXES_COOLOFF_MINUTES. Counted in the shared cache (Redis in production), so every web node
# sees the same count. The administrator unlocks from the user's admin page.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env_str("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
AXES_USERNAME_CALLABLE = "licensing.signin.login_name"
AXES_LOCKOUT_CALLABLE = "licensing.signin.locked_out"
AXES_VERBOSE = False
# Sessions. Staff: signed out after STAFF_IDLE_MINUTES without a request, and after
# STAFF_SESSION_HOURS whatever they do. Businesses: at browser close, unless they chose to stay
# signed in (then BUSINESS_REMEMBER_DAYS).
STAFF_IDLE_MINUTES = int(env_str("STAFF_IDLE_MINUTES", "30"))
STAFF_SESSION_HOURS = int(env_str("STAFF_SESSION_HOURS", "12"))
BUSINESS_REMEMBER_DAYS = int(env_str("BUSINESS_REMEMBER_DAYS", "14"))
# Per client address and hour: sign-ups, password reset requests, confirmation links re-sent.
ACCOUNT_RATE_LIMITS = {"signup": 10, "password_reset": 5, "confirmation": 5}
# The second factor: the issuer an authenticator app shows beside the account.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Izin Pekanbaru")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian first, English second; Pekanbaru keeps Western Indonesia Time.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static"))  # collectstatic's output

# Uploaded evidence is private: it has no public URL and is served only through views that check
# who is asking. MEDIA_URL is deliberately unset.
PRIVATE_MEDIA_ROOT = env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "config.storage.PrivateFileSystemStorage"},
}
# Private files in an S3-compatible bucket when one is named, so every web and worker machine
# sees the same files; the local disk otherwise. Downloads still stream through Izin's views.
PRIVATE_STORAGE_S3_BUCKET = env_str("PRIVATE_STORAGE_S3_BUCKET", "")
if PRIVATE_STORAGE_S3_BUCKET:
    _s3_access_key = env_str("AWS_ACCESS_KEY_ID") or None
    STORAGES["private"] = {
        "BACKEND": "config.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_STORAGE_S3_BUCKET,
            # Empty: AWS itself; set for another S3-compatible service (MinIO, a data centre's).
            "endpoint_url": env_str("PRIVATE_STORAGE_S3_ENDPOINT_URL") or None,
            "region_name": env_str("PRIVATE_STORAGE_S3_REGION") or None,
            # "path" for services without a host name per bucket; empty: botocore chooses.
            "addressing_style": env_str("PRIVATE_STORAGE_S3_ADDRESSING_STYLE") or None,
            # Keys only from the environment; none at all: boto3's own chain (an instance role).
            "access_key": _s3_access_key,
            "secret_key": env_required("AWS_SECRET_ACCESS_KEY") if _s3_access_key else None,
            "default_acl": "private",  # never public-read, whatever the bucket's default
            "querystring_auth": True,  # any address the library makes is signed and expires
            "file_overwrite": False,  # like the disk: a new file never replaces a stored one
            # A download larger than this spools to a temporary file, not a worker's memory.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }
# DATA_UPLOAD_MAX_MEMORY_SIZE stays Django's 2.5 MB: it bounds form fields and raw bodies kept
# in memory (files are streamed and limited per view: config/body_limit.py, documents/).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ACKS_LATE = True  # a task killed mid-run is delivered again; tasks are idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Issuance renders and signs PDFs (seconds each): on a queue of its own, with its own worker, so
# a burst of permits never delays payments, webhooks or refunds on the default queue.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {"documents.tasks.application_issue": {"queue": "issuance"}}
# Every task has a limit; the ones that need longer say so beside the task. The longest is the
# settlements pull (30 min): an unacknowledged message comes back to another worker after the
# visibility timeout, so it is a little longer than that (kombu's default of one hour held a
# killed worker's tasks for an hour).
CELERY_TASK_TIME_LIMIT = 10 * 60
LONGEST_TASK_SECONDS = 30 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": LONGEST_TASK_SECONDS + 5 * 60}
# A worker that loses the broker cancels what it holds (acks_late: the broker delivers it again)
# rather than finishing work whose acknowledgement can no longer reach the broker.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers log through Django's LOGGING (JSON lines with the request id), not Celery's own setup.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Retries of tasks that met a passing fault (the database or the storage away for a moment).
TASK_RETRY_BACKOFF_SECONDS = int(env_str("TASK_RETRY_BACKOFF_SECONDS", "10"))
TASK_RETRY_BACKOFF_MAX_SECONDS = 10 * 60
CELERY_TIMEZONE = TIME_ZONE
# Only tests that wait on a real worker need results; nothing in the product reads them.
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND")
# Periodic work (`celery beat`). Unpaid bills expire at the end of their due day in Asia/Jakarta;
# every 15 minutes keeps that close to midnight without a run per bill.
CELERY_BEAT_SCHEDULE = {
    "api-idempotency-forget": {"task": "api.tasks.idempotency_forget", "schedule": 60 * 60},
    "expire-overdue-invoices": {
        "task": "payments.tasks.invoice_expire_overdue",
        "schedule": 15 * 60,
    },
    # Payments pending longer than PAYMENT_POLL_AFTER_MINUTES are asked about at the gateway.
    "poll-pending-payments": {
        "task": "payments.tasks.payments_poll",
        "schedule": 5 * 60,
    },
    # Payouts and their balance transactions, then matching; running again adds nothing.
    "pull-settlements": {
        "task": "treasury.tasks.settlements_pull",
        "schedule": 60 * 60,
    },
    # Approved or paid applications whose permit is still unsigned (a lost or failed issuance
    # task) are issued again; issuance is exactly-once, so a second run only finishes the first.
    "sweep-issuance": {
        "task": "documents.tasks.issuance_sweep",
        "schedule": int(env_str("ISSUANCE_SWEEP_EVERY_SECONDS", "300")),
    },
    # Permits end at the close of their last valid day; hourly keeps that near midnight.
    "expire-due-permits": {
        "task": "licensing.tasks.permits_expire_due",
        "schedule": 60 * 60,
    },
    # Refunds the gateway has not finished are followed to the end; approved ones it did not
    # answer are sent again under their own idempotency key. Flagged payments that lack their
    # refund suggestion get it. Both idempotent.
    "follow-refunds": {
        "task": "payments.tasks.refunds_refresh_pending",
        "schedule": 15 * 60,
    },
    "suggest-refunds": {
        "task": "treasury.tasks.refunds_suggest_all",
        "schedule": 60 * 60,
    },
    # Deliveries whose task was lost (a broker restart) are queued again; sending is once.
    # Outbound events: retries whose time has come, and deliveries whose task was lost.
    "deliver-due-events": {
        "task": "events.tasks.deliveries_due",
        "schedule": 60,
    },
    "sweep-notification-deliveries": {
        "task": "notifications.tasks.deliveries_sweep",
        "schedule": 10 * 60,
    },
    # Holders are told 60 and 14 days (PERMIT_EXPIRY_NOTICE_DAYS) before a permit ends.
    "remind-expiring-permits": {
        "task": "licensing.tasks.permits_remind_expiring",
        "schedule": crontab(hour=7, minute=0),
    },
    # Legal deadlines: approval by operation of law, lapses, reminders and escalations. Each
    # fires once; one passed while Izin was down fires on the next run.
    "sweep-deadlines": {
        "task": "workflows.tasks.deadlines_sweep",
        "schedule": int(env_str("DEADLINE_SWEEP_EVERY_SECONDS", "300")),
    },
    # The hash chains of the audit trail and the ledger, yesterday's and today's, recomputed
    # after midnight (Asia/Jakarta); a break alerts the administrators once.
    "verify-audit-chains": {
        "task": "workflows.tasks.audit_verify_nightly",
        "schedule": crontab(hour=1, minute=30),
    },
    # Expired sessions leave the database (sessions live there, shared by every web node).
    "clear-sessions": {
        "task": "operations.tasks.sessions_clear",
        "schedule": crontab(hour=3, minute=15),
    },
    # The month before's evaluation, from the first working day of a month on (a holiday on the
    # 1st moves it); hourly, so a day Izin was down only delays it. Made and e-mailed once.
    "monthly-evaluation": {
        "task": "evaluation.tasks.monthly_report_due",
        "schedule": crontab(minute=20),
    },
}

# The office's hours (Asia/Jakarta) and what its deadlines are counted in (``workflows.calendar``).
OFFICE_OPENS_AT = env_str("OFFICE_OPENS_AT", "08:00")
OFFICE_CLOSES_AT = env_str("OFFICE_CLOSES_AT", "16:00")
# Reviewers are reminded this many working days before a task is due (0: on the day).
REVIEW_REMINDER_DAYS = [int(days) for days in env_list("REVIEW_REMINDER_DAYS", "2,0")]
# An application whose standard runs out within this many working days is "at risk" of approval
# by operation of law: the inbox and the overview put it first.
AT_RISK_WORKING_DAYS = int(env_str("AT_RISK_WORKING_DAYS", "3"))
PERMIT_EXPIRY_NOTICE_DAYS = [int(days) for days in env_list("PERMIT_EXPIRY_NOTICE_DAYS", "60,14")]

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "izin@pekanbaru.go.id")

# Notifications. E-mail always goes through Django's mail (EMAIL_BACKEND above); SMS and
# WhatsApp through the class named here (a dotted path): the console prints them until a
# provider's class is named. A failed send is retried after this many seconds, doubling.
NOTIFICATIONS_SMS_BACKEND = env_str("NOTIFICATIONS_SMS_BACKEND",
                                    "notifications.channels.console.ConsoleChannel")
NOTIFICATIONS_WHATSAPP_BACKEND = env_str("NOTIFICATIONS_WHATSAPP_BACKEND",
                                         "notifications.channels.console.ConsoleChannel")
NOTIFICATIONS_RETRY_BASE_SECONDS = int(env_str("NOTIFICATIONS_RETRY_BASE_SECONDS", "60"))

# Outbound events (``events``): each subscription's signing secret, by the name the subscription
# gives in the admin ("name=secret,name2=secret2"); the secrets never enter the database.
EVENTS_SUBSCRIPTION_SECRETS = dict(
    item.split("=", 1) for item in env_list("EVENTS_SUBSCRIPTION_SECRETS") if "=" in item
)
# A receiver gets this long to accept the connection and to answer; slower counts as failed
# and is retried on the schedule (a worker, never a web request, waits for it).
EVENTS_DELIVERY_CONNECT_TIMEOUT_SECONDS = float(
    env_str("EVENTS_DELIVERY_CONNECT_TIMEOUT_SECONDS", "5"))
EVENTS_DELIVERY_READ_TIMEOUT_SECONDS = float(env_str("EVENTS_DELIVERY_READ_TIMEOUT_SECONDS", "10"))

# Log lines are events (`permit_issued permit_id=…`) with the request id they belong to; JSON
# lines for a log shipper in production (LOG_FORMAT=json), readable text on a developer's screen.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "operations.requests.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s "
                          "request_id=%(request_id)s"},
        "json": {"()": "operations.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if LOG_FORMAT == "json" else "text"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every step of every PDF at INFO: its warnings are what matter.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Payments (issue 3). The gateway speaks Stripe's API; `payments.gateway` is the only caller.
# Where the client sends API calls; it appends /v1/…. Empty: no gateway configured.
PAYMENT_GATEWAY_URL = env_str("PAYMENT_GATEWAY_URL", "")
PAYMENT_GATEWAY_SECRET_KEY = env_str("PAYMENT_GATEWAY_SECRET_KEY", "")  # the gateway's bearer key
# Several secrets at once, so a webhook secret can be rotated without dropping deliveries.
PAYMENT_WEBHOOK_SECRETS = env_list("PAYMENT_WEBHOOK_SECRETS")
# A webhook normally arrives within seconds; an attempt still pending after this long is asked
# about at the gateway (a lost webhook never leaves a business waiting).
PAYMENT_POLL_AFTER_MINUTES = int(env_str("PAYMENT_POLL_AFTER_MINUTES", "10"))
# All a web request's gateway calls together (pay button, return page), retries included, stop
# after this many seconds: well under the server's 30 s worker timeout, so a slow gateway gets
# the business a "try again" page instead of a killed worker's 500. Tasks keep the full retries.
PAYMENT_GATEWAY_INTERACTIVE_BUDGET_SECONDS = float(
    env_str("PAYMENT_GATEWAY_INTERACTIVE_BUDGET_SECONDS", "8")
)
# The payment page's live update (where JavaScript runs) asks Izin first after this many
# seconds, then less and less often; Izin asks the gateway about one payment at most once per
# PAYMENT_STATUS_CHECK_SECONDS however many pages ask, else answers from the database.
PAYMENT_STATUS_POLL_SECONDS = int(env_str("PAYMENT_STATUS_POLL_SECONDS", "15"))
PAYMENT_STATUS_CHECK_SECONDS = int(env_str("PAYMENT_STATUS_CHECK_SECONDS", "20"))

# The treasury (issue 5). The city's levy account (RKUD) the gateway pays out to and bank
# statements are uploaded for; money that cannot be booked to a bill's own revenue accounts yet
# (over/under-paid, paid for a closed bill) waits in the suspense account until it is resolved.
TREASURY_RKUD_ACCOUNT = env_str("TREASURY_RKUD_ACCOUNT", "1060012345678")
TREASURY_RKUD_BANK = env_str("TREASURY_RKUD_BANK", "Bank Riau Kepri Syariah")
TREASURY_SUSPENSE_ACCOUNT = env_str("TREASURY_SUSPENSE_ACCOUNT", "1.1.01.99.99.0001")
# A succeeded payment the gateway has not settled after this many days is an exception; so is a
# payout not on the bank statement this many days after its arrival date.
TREASURY_SETTLEMENT_DAYS = int(env_str("TREASURY_SETTLEMENT_DAYS", "3"))
TREASURY_BANK_ARRIVAL_DAYS = int(env_str("TREASURY_BANK_ARRIVAL_DAYS", "2"))

# The sandbox gateway (payments.sandbox): a Stripe stand-in so the whole flow runs on one
# machine. Environment modules switch it on (local, test) and add it to INSTALLED_APPS.
PAYMENT_SANDBOX_ENABLED = env_bool("PAYMENT_SANDBOX_ENABLED", False)
PAYMENT_SANDBOX_SECRET_KEY = env_str("PAYMENT_SANDBOX_SECRET_KEY", "")  # what its API accepts
PAYMENT_SANDBOX_WEBHOOK_SECRET = env_str("PAYMENT_SANDBOX_WEBHOOK_SECRET", "")  # what it signs with
PAYMENT_SANDBOX_WEBHOOK_URL = env_str("PAYMENT_SANDBOX_WEBHOOK_URL", "")  # empty: no deliveries


def _per_method(name: str, default: str) -> dict[str, str]:
    """``card:2.9,va:0,qris:0.7`` → ``{"card": "2.9", …}``."""
    pairs = (item.partition(":") for item in env_list(name, default))
    return {method.strip(): value.strip() for method, _, value in pairs}


# The sandbox's fee per payment method, like an Indonesian acquirer's: cards 2.9 % + Rp 2.000,
# virtual account a flat Rp 4.000, QRIS 0.7 % (the MDR Bank Indonesia sets). Fixed parts are in
# the wire's minor units (Rp 1 = 100), as the sandbox keeps every amount.
PAYMENT_SANDBOX_FEE_PERCENT = _per_method("PAYMENT_SANDBOX_FEE_PERCENT", "card:2.9,va:0,qris:0.7")
PAYMENT_SANDBOX_FEE_FIXED = {
    method: int(value)
    for method, value in _per_method(
        "PAYMENT_SANDBOX_FEE_FIXED", "card:200000,va:400000,qris:0"
    ).items()
}
# Funds become available for payout this long after a payment (T+2 is common for cards).
PAYMENT_SANDBOX_BALANCE_DELAY_HOURS = int(env_str("PAYMENT_SANDBOX_BALANCE_DELAY_HOURS", "48"))
# The sandbox's own clock when a worker and beat run; `make run` (eager) uses the commands.
PAYMENT_SANDBOX_BEAT_SCHEDULE = {
    "sandbox-retry-webhooks": {"task": "payments.sandbox.tasks.retry_due_webhooks",
                               "schedule": 60.0},
    "sandbox-expire-sessions": {"task": "payments.sandbox.tasks.expire_due_checkout_sessions",
                                "schedule": 300.0},
    "sandbox-daily-payout": {"task": "payments.sandbox.tasks.pay_out_day",
                             "schedule": crontab(hour=23, minute=30)},
}

# OSS, the national business registry (issue 13, docs/integrations/oss.md). Izin asks it about a
# typed NIB at `<OSS_BASE_URL>/inqueryNIB` with its `user_key`; empty: no lookup, a NIB is checked
# for its format only. A person waits on the form meanwhile: a registry slower than these counts
# as down, and the NIB is accepted on its format (and logged).
OSS_BASE_URL = env_str("OSS_BASE_URL", "")
OSS_API_KEY = env_str("OSS_API_KEY", "")
OSS_CONNECT_TIMEOUT_SECONDS = float(env_str("OSS_CONNECT_TIMEOUT_SECONDS", "2"))
OSS_READ_TIMEOUT_SECONDS = float(env_str("OSS_READ_TIMEOUT_SECONDS", "4"))
# The office's code in OSS (`kd_instansi` of receiveLicenseStatus), given by the OSS desk.
OSS_KD_INSTANSI = env_str("OSS_KD_INSTANSI", "")
# The OSS sandbox (integrations.oss_sandbox), reached over HTTP only, like the payment sandbox.
# Environment modules switch it on (local, test) and add it to INSTALLED_APPS.
OSS_SANDBOX_ENABLED = env_bool("OSS_SANDBOX_ENABLED", False)
OSS_SANDBOX_API_KEY = env_str("OSS_SANDBOX_API_KEY", "")  # the user_key its inquiry accepts
# Checks the Izin-Signature of a received license status (the subscription's secret in Izin).
OSS_SANDBOX_SIGNING_SECRET = env_str("OSS_SANDBOX_SIGNING_SECRET", "")
# The Izin API key (scope "oss") `manage.py oss_sandbox_send_nib` sends receiveNIB with.
OSS_SANDBOX_IZIN_API_KEY = env_str("OSS_SANDBOX_IZIN_API_KEY", "")

# Documents (issue 4). Where verification links in permits point: the QR code must carry an
# absolute address, and a worker rendering a PDF has no request to take the host from.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Development signing keys (`manage.py signing_init`) live outside the repository, so a private
# key is never one `git add` away from being published. Tests point this at a temporary folder.
SIGNING_DEV_DIR = env_str(
    "SIGNING_DEV_DIR",
    str(Path(env_str("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "izin" / "signing"),
)
# Production signs with the office's certificate: a PKCS#12 file and its passphrase. When the
# path is set, the development keys are never used.
SIGNING_PKCS12_PATH = env_str("SIGNING_PKCS12_PATH", "")
SIGNING_PKCS12_PASSPHRASE = env_str("SIGNING_PKCS12_PASSPHRASE", "")
# The root certificates a permit's signature must chain to when a PDF is checked on the public
# page (a PEM bundle, e.g. the national CA's). Empty: the CA certificates inside the PKCS#12 file.
SIGNING_TRUST_ROOTS_PATH = env_str("SIGNING_TRUST_ROOTS_PATH", "")
# The Ed25519 key that signs the offline token in each QR code (PEM, PKCS#8). Empty: the
# development key beside the signing keys.
VERIFY_TOKEN_KEY_PATH = env_str("VERIFY_TOKEN_KEY_PATH", "")
# Public verification: requests per client IP per minute, and the largest PDF anyone may upload
# to compare (a permit is a few hundred KB; nothing uploaded is kept).
VERIFY_RATE_LIMITS = {
    "lookup": int(env_str("VERIFY_LOOKUPS_PER_MINUTE", "60")),
    "upload": int(env_str("VERIFY_UPLOADS_PER_MINUTE", "10")),
}
VERIFY_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# An approved or paid application whose permit is still unsigned this long after it last moved
# is issued again by the sweeper (its task was lost); sooner, the first task may still be on
# its way.
ISSUANCE_SWEEP_AFTER_MINUTES = int(env_str("ISSUANCE_SWEEP_AFTER_MINUTES", "5"))
# The reverse proxies (addresses or networks) allowed to say who their client was, in
# X-Forwarded-For: the address rate limits count (config/client_address.py). Empty: no proxy,
# the connection's own address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# Rate-limit counters. Local memory is per process; production runs several workers and shares
# the counters in Redis (production.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# An RFC 3161 time-stamping authority: a trusted time for the signature, which outlives the
# signing certificate. Empty: the signature carries the signer's own clock only.
SIGNING_TSA_URL = env_str("SIGNING_TSA_URL", "")
# The issuing authority printed on permits. Settings rather than template text: another city is
# a change of configuration, not of code.
PERMIT_ISSUER = {
    "government_id": env_str("PERMIT_ISSUER_GOVERNMENT_ID", "Pemerintah Kota Pekanbaru"),
    "government_en": env_str("PERMIT_ISSUER_GOVERNMENT_EN", "City Government of Pekanbaru"),
    "office_id": env_str("PERMIT_ISSUER_OFFICE_ID",
                         "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    "office_en": env_str("PERMIT_ISSUER_OFFICE_EN",
                         "Investment and One-Stop Integrated Services Office"),
    "address": env_str("PERMIT_ISSUER_ADDRESS",
                       "Jl. Jenderal Sudirman No. 464, Pekanbaru, Riau 28126"),
    "place": env_str("PERMIT_ISSUER_PLACE", "Pekanbaru"),
}
# How businesses reach the office, on the contact page and the counter's filing receipt. The
# defaults are the DPMPTSP's address and the desk's own mailbox; every line is the deployment's
# to set. A phone or WhatsApp number left empty is not shown (no made-up number is published).
OFFICE_ADDRESS = env_str("OFFICE_ADDRESS", PERMIT_ISSUER["address"])
OFFICE_PHONE = env_str("OFFICE_PHONE", "")
OFFICE_WHATSAPP = env_str("OFFICE_WHATSAPP", "")
OFFICE_EMAIL = env_str("OFFICE_EMAIL", DEFAULT_FROM_EMAIL)


# The API for other systems (api/, docs/API.md). Keys are issued in the admin or with
# `manage.py api_key_issue`; each may make this many calls (per key, in the shared cache).
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/minute")
# How long the first answer to an Idempotency-Key is kept (a retry after that is a new request).
API_IDEMPOTENCY_KEEP_HOURS = int(env_str("API_IDEMPOTENCY_KEEP_HOURS", "48"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.access.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.access.HasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": None,  # the answer's type is the path's, not a query parameter's
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Izin API",
    "DESCRIPTION": "The city licensing desk's API for other systems: the catalogue, a "
                   "business's applications, permits, the treasury's books and OSS. Every call "
                   "carries `Authorization: Bearer <key>`; every POST an `Idempotency-Key`.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "APPEND_COMPONENTS": {"securitySchemes": {"ApiKey": {"type": "http", "scheme": "bearer"}}},
    "SECURITY": [{"ApiKey": []}],
    "AUTHENTICATION_WHITELIST": [],
}

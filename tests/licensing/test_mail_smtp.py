"""E-mail over SMTP, as production sends it: a real SMTP server on loopback (aiosmtpd) receives
the product's own message, and the production settings take the relay from the environment."""

import email
import email.policy
import json
import os
import socket
import subprocess
import sys

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from django.conf import settings as django_settings
from django.test import override_settings

from config.env import BASE_DIR
from tests.documents.permits import issued

RELAY_USER, RELAY_PASSWORD = "izin-relay", "relay-test-password"


class Inbox:
    """An aiosmtpd handler that keeps what it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[tuple[list[str], email.message.EmailMessage]]:
        return [(envelope.rcpt_tos, email.message_from_bytes(envelope.content,
                                                             policy=email.policy.default))
                for envelope in self.envelopes]


def _relay_login(server, session, envelope, mechanism, auth_data):
    ok = (auth_data.login, auth_data.password) == (RELAY_USER.encode(), RELAY_PASSWORD.encode())
    return AuthResult(success=ok)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """An SMTP relay on 127.0.0.1 that wants a login, as the office's relay does (no TLS on
    loopback, so it allows AUTH in the clear)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(),
                            authenticator=_relay_login, auth_required=True,
                            auth_require_tls=False)
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_an_issued_permit_is_announced_to_the_business_through_the_smtp_relay(
        smtp_server, django_capture_on_commit_callbacks):
    controller, inbox = smtp_server
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST=controller.hostname, EMAIL_PORT=controller.port,
        EMAIL_HOST_USER=RELAY_USER, EMAIL_HOST_PASSWORD=RELAY_PASSWORD,
        EMAIL_USE_TLS=False, EMAIL_USE_SSL=False, EMAIL_TIMEOUT=10,
    ):
        permit = issued(django_capture_on_commit_callbacks)  # the notice leaves on commit

    owner = permit.holder.memberships.get().user
    [(recipients, message)] = [(to, message) for to, message in inbox.messages()
                               if permit.number in message["Subject"]]
    assert recipients == [owner.email]
    assert message["To"] == owner.email
    assert message["From"] == django_settings.DEFAULT_FROM_EMAIL
    # In the owner's language (Indonesian unless they chose English), with the page's link.
    assert message["Subject"] == f"Izin {permit.number} telah terbit"
    body = message.get_content().replace("\r\n", "\n")  # SMTP carries CRLF line ends
    assert body.startswith(f"Izin {permit.number} untuk {permit.holder.legal_name} "
                           f"(permohonan {permit.application.reference}) telah terbit")
    assert body.rstrip().endswith(f"/applications/{permit.application_id}/")


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "production-settings-test",
    "DATABASE_URL": "postgres://izin@127.0.0.1:1/izin",  # parsed at import, never connected
    "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
    "SIGNING_PKCS12_PATH": "/nonexistent/office.p12",
    "SIGNING_PKCS12_PASSPHRASE": "not-read-at-import",
    "SITE_URL": "https://izin.pekanbaru.go.id",
    "VERIFY_TOKEN_KEY_PATH": "/nonexistent/token.pem",
    "CACHE_URL": "redis://127.0.0.1:1/1",
    "SIGNING_TRUST_ROOTS_PATH": "/nonexistent/roots.pem",
    "PAYMENT_GATEWAY_URL": "https://gateway.example.id",
    "PAYMENT_GATEWAY_SECRET_KEY": "sk_not_read_at_import",
    "PAYMENT_WEBHOOK_SECRETS": "whsec_not_read_at_import",
    "DEFAULT_FROM_EMAIL": "izin@pekanbaru.go.id",
}
READ_MAIL_SETTINGS = (
    "import json; from django.conf import settings as s; print(json.dumps({name: getattr(s, name)"
    " for name in ('EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_HOST_USER',"
    " 'EMAIL_HOST_PASSWORD', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'EMAIL_TIMEOUT')}))"
)


def _production(**mail_env) -> subprocess.CompletedProcess:
    """Import the production settings in a fresh interpreter with only this environment's
    mail variables (none inherited from the machine running the tests)."""
    inherited = {name: value for name, value in os.environ.items()
                 if not name.startswith(("EMAIL_", "DJANGO_", "PRIVATE_STORAGE_"))}
    return subprocess.run(
        [sys.executable, "-c", READ_MAIL_SETTINGS], cwd=BASE_DIR, capture_output=True, text=True,
        env={**inherited, **PRODUCTION_ENV, **mail_env}, timeout=60, check=False,
    )


def _mail_settings(**mail_env) -> dict:
    done = _production(**mail_env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_production_sends_through_the_relay_the_environment_names():
    assert _mail_settings(
        EMAIL_HOST="smtp.pekanbaru.go.id", EMAIL_PORT="2525", EMAIL_HOST_USER="izin",
        EMAIL_HOST_PASSWORD="s3cret", EMAIL_USE_TLS="true", EMAIL_TIMEOUT="7",
    ) == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.pekanbaru.go.id", "EMAIL_PORT": 2525, "EMAIL_HOST_USER": "izin",
        "EMAIL_HOST_PASSWORD": "s3cret", "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 7,
    }


def test_production_defaults_to_starttls_and_a_bounded_timeout():
    read = _mail_settings(EMAIL_HOST="smtp.pekanbaru.go.id")
    assert (read["EMAIL_PORT"], read["EMAIL_USE_TLS"], read["EMAIL_USE_SSL"]) == (587, True, False)
    assert read["EMAIL_TIMEOUT"] == 10
    assert (read["EMAIL_HOST_USER"], read["EMAIL_HOST_PASSWORD"]) == ("", "")


def test_production_with_implicit_tls_uses_port_465_and_no_starttls():
    read = _mail_settings(EMAIL_HOST="smtp.pekanbaru.go.id", EMAIL_USE_SSL="true")
    assert (read["EMAIL_PORT"], read["EMAIL_USE_TLS"], read["EMAIL_USE_SSL"]) == (465, False, True)


@pytest.mark.parametrize(
    ("mail_env", "refusal"),
    [
        ({}, "EMAIL_HOST must be set"),
        ({"EMAIL_HOST": "smtp.pekanbaru.go.id", "EMAIL_HOST_USER": "izin"},
         "EMAIL_HOST_PASSWORD must be set"),
        ({"EMAIL_HOST": "smtp.pekanbaru.go.id", "EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"},
         "not both"),
    ],
    ids=["no-relay", "user-without-password", "tls-and-ssl"],
)
def test_production_refuses_to_start_with_an_incomplete_relay(mail_env, refusal):
    done = _production(**mail_env)
    assert done.returncode != 0
    assert refusal in done.stderr

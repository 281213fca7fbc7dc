"""The production shape, for real: the Procfile's gunicorn, default worker, issuance worker and
beat, with config.settings.production, on PostgreSQL and RabbitMQ (no eager tasks).

A reviewer approves in the browser, the business pays on the sandbox's hosted page, the webhook
arrives, the worker issues the signed permit and its verification address answers ``active``.
Then the issuance worker is killed while it issues, and the broker is restarted with issuances
queued: every application still ends with one permit and one number, without anyone re-queuing
anything (acks late, retries, and the sweeper on beat).
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import requests
from aiosmtpd.controller import Controller
from celery import Celery
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    load_pem_private_key,
    pkcs12,
)
from cryptography.x509 import load_pem_x509_certificate
from django.conf import settings as django_settings
from django.db import connection
from playwright.sync_api import expect

from documents import dev_ca
from licensing import services
from licensing.models import Application, Permit, Sequence
from licensing.states import ApplicationState as S
from tests.documents.permits import approved_free
from tests.e2e.browsing import log_in
from tests.e2e.people import People
from tests.e2e.test_application_journey import claim_and_open, decide
from tests.factories import UserFactory
from tests.lifecycle import complete, draft
from tests.payments.support import ANSWERS, building_type

pytestmark = [pytest.mark.postgres, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AGENCY = "agency_a"
VISA = "4242 4242 4242 4242"
# Long enough for a loaded machine, short enough that a stuck process fails the run.
PATIENCE_SECONDS = 240


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def procfile() -> dict[str, str]:
    """The processes, exactly as `make serve` runs them."""
    lines = (Path(django_settings.BASE_DIR) / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=120)


def eventually(condition, what: str, seconds: float = PATIENCE_SECONDS):
    """Polls ``condition`` until it is true (its value returned) or the time is up."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.5)
    return value


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@dataclass
class Stack:
    url: str
    env: dict
    processes: dict
    vhost: str

    def start(self, name: str) -> None:
        with self.log(name).open("ab") as log:
            self.processes[name] = subprocess.Popen(
                ["bash", "-c", procfile()[name]], cwd=django_settings.BASE_DIR, env=self.env,
                stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)  # its own process group: killed with its children

    def log(self, name: str) -> Path:
        return Path(self.env["STATIC_ROOT"]).parent / f"{name}.log"

    def events(self, name: str, event: str) -> list[dict]:
        """The JSON log lines of one process with one event name."""
        lines = self.log(name).read_text(errors="replace").splitlines()
        return [line for line in map(_json_or_none, lines) if line and line["event"] == event]

    def kill(self, name: str, sig=signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, sig)
        process.wait(timeout=60)

    def celery_client(self) -> Celery:
        return Celery("izin-journey-client", broker=self.env["CELERY_BROKER_URL"],
                      set_as_current=False)


@pytest.fixture
def stack(settings, signing_dir, tmp_path):
    vhost = f"izin-test-{uuid.uuid4().hex[:8]}"
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()

    def pem(name):
        return (signing_dir / name).read_bytes()

    office = tmp_path / "office.p12"
    office.write_bytes(pkcs12.serialize_key_and_certificates(
        b"office", load_pem_private_key(pem(dev_ca.SIGNER_KEY), None),
        load_pem_x509_certificate(pem(dev_ca.SIGNER_CERT)),
        [load_pem_x509_certificate(pem(dev_ca.CA_CERT))], BestAvailableEncryption(b"journey")))
    port = free_port()
    url = f"http://localhost:{port}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "journey-" + uuid.uuid4().hex * 2,
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DJANGO_CSRF_TRUSTED_ORIGINS": url,
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; secure cookies still
        "SITE_URL": url,
        "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "2",
        "WORKER_CONCURRENCY": "2", "ISSUER_CONCURRENCY": "2",
        "BEAT_SCHEDULE_FILE": str(tmp_path / "celerybeat-schedule"),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
        "CACHE_URL": "redis://127.0.0.1:6379/7",
        "PRIVATE_MEDIA_ROOT": settings.PRIVATE_MEDIA_ROOT,
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "EMAIL_USE_TLS": "false",
        "PAYMENT_GATEWAY_URL": f"{url}/sandbox/stripe",
        "PAYMENT_GATEWAY_SECRET_KEY": "sk_test_journey",
        "PAYMENT_WEBHOOK_SECRETS": "whsec_journey",
        "PAYMENT_SANDBOX_ENABLED": "true",
        "PAYMENT_SANDBOX_SECRET_KEY": "sk_test_journey",
        "PAYMENT_SANDBOX_WEBHOOK_SECRET": "whsec_journey",
        "PAYMENT_SANDBOX_WEBHOOK_URL": f"{url}/payments/webhooks/stripe/",
        "SIGNING_PKCS12_PATH": str(office), "SIGNING_PKCS12_PASSPHRASE": "journey",
        "SIGNING_TRUST_ROOTS_PATH": str(signing_dir / dev_ca.CA_CERT),
        "DEFAULT_FROM_EMAIL": "izin@pekanbaru.go.id",
        "VERIFY_TOKEN_KEY_PATH": str(signing_dir / dev_ca.TOKEN_KEY),
        # Faults pass within seconds here; beat looks for undone issuance every few seconds.
        "TASK_RETRY_BACKOFF_SECONDS": "1",
        "ISSUANCE_SWEEP_AFTER_MINUTES": "0", "ISSUANCE_SWEEP_EVERY_SECONDS": "5",
        "STATIC_ROOT": str(tmp_path / "static"),
        "LOG_FORMAT": "json",
    }
    redis.Redis.from_url(env["CACHE_URL"]).flushdb()  # the sweeper's memory of earlier runs
    env.pop("CELERY_RESULT_BACKEND", None)
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    running = Stack(url=url, env=env, processes={}, vhost=vhost)
    # As `make serve` does before it starts anything (the database is the test's, migrated).
    for command in (["collectstatic", "--noinput", "-v0"], ["release_check"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=django_settings.BASE_DIR,
                       env=env, check=True, timeout=300)
    for name in ("web", "worker", "issuer", "beat"):
        running.start(name)
    try:
        eventually(lambda: _ready(url), "gunicorn answers /readyz")
        running.inbox = inbox
        yield running
    finally:
        for name in list(running.processes):
            running.kill(name, signal.SIGTERM)
        smtp.stop()
        rabbitmqctl("delete_vhost", vhost)


def _json_or_none(line: str) -> dict | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None  # a library's own startup banner
    return value if isinstance(value, dict) and "event" in value else None


def _ready(url: str) -> bool:
    try:
        return requests.get(f"{url}/readyz", timeout=10).status_code == 200
    except requests.RequestException:  # not up yet, or still starting its workers
        return False


def state_of(application) -> str:
    return Application.objects.values_list("state", flat=True).get(pk=application.pk)


@pytest.fixture
def journey(stack, settings):
    """This test process only sets up data: what it would queue goes nowhere (into memory)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "memory://"
    # People log in on gunicorn, which checks passwords with the production hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    return stack


@pytest.fixture
def people(journey, browser):
    """As in every journey, the pages are scanned by axe-core and watched for what the
    Content-Security-Policy blocks (tests/e2e/people.py), here on gunicorn."""
    people = People(browser, journey.url)
    yield people
    people.leave()


def test_a_permit_through_the_real_processes_and_every_issuance_survives_faults(
        journey, people, django_capture_on_commit_callbacks):
    stack = journey
    # The business has applied; the reviewer approves in the browser, on gunicorn.
    permit_type = building_type(steps=[AGENCY])
    application, owner = draft(permit_type=permit_type, answers=dict(ANSWERS))
    complete(application, owner)
    services.application_submit(application=application, actor=owner)
    reviewer = UserFactory(groups=[AGENCY])
    page = people.open()
    log_in(page, reviewer)
    claim_and_open(page, application.reference)
    decide(page, "approve", "Sesuai")
    assert eventually(lambda: state_of(application) == S.AWAITING_PAYMENT, "billed")

    # The business pays by card on the sandbox's hosted page.
    page = people.open()
    log_in(page, owner)
    invoice = application.invoices.get()
    page.goto(f"/payments/invoices/{invoice.pk}/")
    page.locator('input[name="method"][value="card"]').check()
    page.locator(f'form[action="/payments/invoices/{invoice.pk}/pay/"] button[type="submit"]'
                 ).click()
    expect(page).to_have_url(re.compile(r"/sandbox/checkout/cs_"))
    page.locator('input[name="card_number"]').fill(VISA)
    page.locator('input[name="card_number"]').press("Enter")
    expect(page).to_have_url(re.compile(r"/payments/attempts/\d+/"))

    # The webhook arrives (the worker delivers the sandbox's event to gunicorn and processes
    # it), and the issuance worker signs the permit.
    assert eventually(lambda: state_of(application) == S.ISSUED, "issued")
    permit = Permit.objects.get(application=application)
    verification = requests.get(stack.url + permit_verification_path(permit),
                                headers={"Accept": "application/json"}, timeout=10).json()
    assert verification["state"] == "active" and verification["valid"] is True
    assert verification["sha256"] == permit.sha256
    # The notice of the permit leaves by the worker through the SMTP relay.
    assert eventually(lambda: any(permit.number.encode() in envelope.content
                                  for envelope in stack.inbox.messages), "the permit e-mail")

    # One request id from the web into the worker: the webhook's POST to gunicorn, and the
    # worker's processing of the event that request stored.
    posted = {line["request_id"] for line in stack.events("web", "http_request")
              if line["path"] == "/payments/webhooks/stripe/"}
    processed = {line["request_id"] for line in stack.events("worker", "webhook_processed")}
    assert processed and processed <= posted

    # PostgreSQL drops every backend of the web and the workers: the next requests reconnect.
    cut_database_connections()
    for _ in range(6):  # enough to reach each gunicorn worker
        assert requests.get(stack.url + "/catalogue/", timeout=10).status_code == 200

    # The issuance worker is killed while it issues, then started again.
    first_batch = queued_free_applications(stack, django_capture_on_commit_callbacks, count=6)
    eventually(lambda: Permit.objects.filter(application__in=first_batch).exists(),
               "issuance under way")
    stack.kill("issuer")
    stack.start("issuer")
    assert_each_issued_once(first_batch)

    # The broker restarts with issuances queued and no issuance worker to take them.
    stack.kill("issuer", signal.SIGTERM)
    second_batch = queued_free_applications(stack, django_capture_on_commit_callbacks,
                                            count=6)
    rabbitmqctl("stop_app")
    rabbitmqctl("start_app")
    stack.start("issuer")
    assert_each_issued_once(second_batch)
    assert_each_issued_once([application, *first_batch, *second_batch])


def cut_database_connections() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def permit_verification_path(permit) -> str:
    from documents.verification import verification_path

    return verification_path(permit)


def queued_free_applications(stack, capture, *, count: int) -> list[Application]:
    """Free applications approved on submission (this process queues nothing: the ``journey``
    fixture), their issuance sent to the broker as the web sends it."""
    client = stack.celery_client()
    applications = []
    try:
        for _ in range(count):
            application, _owner = approved_free(capture)
            client.send_task("documents.tasks.application_issue", args=(application.pk,),
                             queue="issuance")
            applications.append(application)
    finally:
        client.close()
    return applications


def assert_each_issued_once(applications) -> None:
    ids = [application.pk for application in applications]
    eventually(lambda: Application.objects.filter(pk__in=ids, state=S.ISSUED).count() == len(ids),
               f"{len(ids)} applications issued")
    permits = Permit.objects.filter(application__in=ids).exclude(file="")
    assert permits.count() == len(ids)
    for sequence in Sequence.objects.filter(key__startswith="permit:"):
        # One number each, no gap, no repeat: every number the counter gave is one stored permit.
        code = sequence.key.split(":", 1)[1]
        numbers = list(Permit.objects.filter(permit_type__code=code, issued_year=sequence.year)
                       .values_list("number", flat=True))
        assert len(numbers) == len(set(numbers)) == sequence.last_value

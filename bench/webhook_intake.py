"""Webhook intake under 20 concurrent senders: Izin's endpoint against a bare one, same gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izin .venv/bin/python bench/webhook_intake.py

In one run the script starts two gunicorns with ``config/gunicorn.py`` (the Procfile's settings:
workers, timeouts, the JSON access log) on loopback: Izin itself, with the production settings,
on a PostgreSQL database of its own (created, migrated, dropped at the end; the database the URL
names is never touched) and a RabbitMQ virtual host of its own; and ``bare_application`` below, a
WSGI callable doing only what any intake must (the same ``verify_event`` signature check and
JSON parse), no Django, no database. Both receive the same signed events, a quarter of them
repeated deliveries of others, from 20 concurrent senders (threads, one ``requests.Session``
each), in rounds taking turns. It prints each round's events per second, the medians and their
ratio, then checks that Izin stored every distinct event exactly once. See bench/README.md.
"""

import argparse
import hashlib
import hmac
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SECRET = "whsec_bench_" + "0" * 24  # the bench's own endpoint secret, nothing real
WEBHOOK_PATH = "/payments/webhooks/stripe/"
DUPLICATE_SHARE = 0.25  # a gateway retries: one delivery in four repeats an earlier event
WARMUP_PER_SENDER = 10  # imports, connections and caches of every worker, before the clock


# -- the bare endpoint (gunicorn imports this module as ``webhook_intake:bare_application``) ---

def bare_application(environ, start_response):
    """What no intake can do without: read the body, check the signature, parse the JSON."""
    from payments.gateway.errors import SignatureVerificationError
    from payments.gateway.webhooks import verify_event

    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    try:
        event = verify_event(body, environ.get("HTTP_STRIPE_SIGNATURE", ""), [SECRET])
        _ = (event["id"], event["type"], event["data"]["object"])  # what Izin reads of it
        status = "200 OK"
    except (SignatureVerificationError, KeyError, TypeError):
        status = "400 Bad Request"
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", "0")])
    return [b""]


# -- setting up ------------------------------------------------------------------------------

def refuse(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(2)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def admin_sql(server_url: str, *statements: str) -> None:
    import psycopg2

    parts = urlsplit(server_url)
    conn = psycopg2.connect(dbname="postgres", user=parts.username, password=parts.password,
                            host=parts.hostname, port=parts.port)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        conn.close()


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=120)


def production_env(*, database_url: str, broker_url: str, workdir: Path) -> dict[str, str]:
    """config.settings.production as a deployment would have it, on loopback, plain HTTP."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "CELERY_", "PAYMENT_"))}
    env.update({
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "http://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "SITE_URL": "http://127.0.0.1",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CACHE_URL": "redis://127.0.0.1:6379/9",
        "EMAIL_HOST": "127.0.0.1",
        "DEFAULT_FROM_EMAIL": "izin@example.invalid",
        "PAYMENT_GATEWAY_URL": "http://127.0.0.1:9/",  # never asked: intake only stores
        "PAYMENT_GATEWAY_SECRET_KEY": "sk_test_bench",
        "PAYMENT_WEBHOOK_SECRETS": SECRET,
        # Read only when a permit is signed or a token made, never by intake.
        "SIGNING_PKCS12_PATH": str(workdir / "unused.p12"),
        "SIGNING_PKCS12_PASSPHRASE": "unused",
        "SIGNING_TRUST_ROOTS_PATH": str(workdir / "unused.pem"),
        "VERIFY_TOKEN_KEY_PATH": str(workdir / "unused.key"),
        "STATIC_ROOT": str(workdir / "static"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "LOG_FORMAT": "json",
        "HOST": "127.0.0.1",
    })
    return env


class Server:
    """One gunicorn with config/gunicorn.py, its output in a log file."""

    def __init__(self, name: str, app: str, env: dict[str, str], workdir: Path,
                 extra: tuple[str, ...] = ()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"{name}.log"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).parent / "gunicorn"), app, "-c", "config/gunicorn.py",
                 *extra],
                cwd=ROOT, env={**env, "PORT": str(self.port)}, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, path: str) -> None:
        import requests

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                refuse(f"gunicorn stopped; see {self.log}:\n{self.log.read_text()[-3000:]}")
            try:
                requests.get(self.url + path, timeout=5)
                return
            except requests.RequestException:
                time.sleep(0.2)
        refuse(f"gunicorn did not answer within a minute; see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)


# -- the events ------------------------------------------------------------------------------

def event_body(event_id: str, n: int) -> bytes:
    """A payment_intent.succeeded event the size a Stripe-compatible gateway sends."""
    return json.dumps({
        "id": event_id, "object": "event", "api_version": "2024-06-20",
        "created": int(time.time()), "livemode": False, "pending_webhooks": 1,
        "request": {"id": f"req_{n:012d}", "idempotency_key": f"izin-payment-{n}-1"},
        "type": "payment_intent.succeeded",
        "data": {"object": {
            "id": f"pi_bench_{n:012d}", "object": "payment_intent", "amount": 150_000_00,
            "amount_received": 150_000_00, "currency": "idr", "status": "succeeded",
            "latest_charge": f"ch_bench_{n:012d}", "payment_method_types": ["card"],
            "metadata": {"izin_payment": str(n), "izin_invoice": f"SKRD/2026/{n:06d}"},
            "description": f"Retribusi izin SKRD/2026/{n:06d}", "created": int(time.time()),
        }},
    }).encode()


def deliveries(prefix: str, count: int, seed: int) -> tuple[list[tuple[str, bytes]], set[str]]:
    """``count`` deliveries of which a quarter repeat an earlier event (some back to back, some
    later), in a fixed shuffled order."""
    rng = random.Random(seed)
    distinct = round(count * (1 - DUPLICATE_SHARE))
    events = [(f"{prefix}{n:08d}", event_body(f"{prefix}{n:08d}", n)) for n in range(distinct)]
    sends = events + [rng.choice(events) for _ in range(count - distinct)]
    rng.shuffle(sends)
    return sends, {event_id for event_id, _ in events}


def signed(body: bytes) -> dict[str, str]:
    stamp = int(time.time())
    digest = hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Stripe-Signature": f"t={stamp},v1={digest}", "Content-Type": "application/json"}


def blast(url: str, sends: list[tuple[str, bytes]], senders: int) -> tuple[float, dict[int, int]]:
    """Every delivery POSTed by ``senders`` threads at once; seconds taken and status counts.
    The bodies are signed beforehand, so the senders spend their time sending."""
    import requests

    prepared = [(body, signed(body)) for _, body in sends]
    cursor = iter(range(len(prepared)))
    lock = threading.Lock()
    statuses: dict[int, int] = {}
    start = threading.Barrier(senders + 1)

    def sender() -> None:
        session = requests.Session()
        mine: dict[int, int] = {}
        start.wait()
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            body, headers = prepared[index]
            try:
                status = session.post(url, data=body, headers=headers, timeout=60).status_code
            except requests.RequestException:
                status = 0
            mine[status] = mine.get(status, 0) + 1
        with lock:
            for status, n in mine.items():
                statuses[status] = statuses.get(status, 0) + n

    with ThreadPoolExecutor(senders) as pool:
        futures = [pool.submit(sender) for _ in range(senders)]
        start.wait()
        began = time.perf_counter()
        for future in futures:
            future.result()
        took = time.perf_counter() - began
    return took, statuses


def stored_once(database_url: str, prefix: str, distinct: set[str]) -> tuple[int, int, int]:
    """(rows with the prefix, distinct event ids among them, expected events missing)."""
    import psycopg2

    conn = psycopg2.connect(database_url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT event_id FROM payments_webhookevent WHERE event_id LIKE %s",
                           [prefix + "%"])
            rows = [event_id for (event_id,) in cursor.fetchall()]
    finally:
        conn.close()
    return len(rows), len(set(rows)), len(distinct - set(rows))


# -- the run ---------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=3000,
                        help="deliveries to each endpoint in a round")
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="bare and Izin, taking turns")
    parser.add_argument("--database", default="izin_bench_webhook",
                        help="the database created (and dropped) for the run")
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        refuse("This benchmark measures intake on PostgreSQL, the production database. Set "
               "DATABASE_URL, e.g.\n  DATABASE_URL=postgres://postgres@127.0.0.1:5432/izin "
               ".venv/bin/python bench/webhook_intake.py")
    if shutil.which("rabbitmqctl") is None:
        refuse("This benchmark queues to RabbitMQ as production does (a virtual host of its "
               "own); rabbitmqctl is not on PATH.")
    parts = urlsplit(url)
    database_url = parts._replace(path="/" + args.database).geturl()
    vhost = f"izin-bench-webhook-{uuid.uuid4().hex[:8]}"
    workdir = Path(tempfile.mkdtemp(prefix="izin-bench-webhook-"))
    (workdir / "static").mkdir()  # WhiteNoise looks for it at startup
    admin_sql(url, f'DROP DATABASE IF EXISTS "{args.database}"',
              f'CREATE DATABASE "{args.database}"')
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    env = production_env(database_url=database_url, workdir=workdir,
                         broker_url=f"amqp://guest:guest@127.0.0.1:5672/{vhost}")
    servers: list[Server] = []
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env,
                       check=True, timeout=600)
        izin = Server("izin", "config.wsgi", env, workdir)
        bare = Server("bare", "webhook_intake:bare_application", env, workdir,
                      extra=("--pythonpath", f"{ROOT},{ROOT / 'bench'}"))
        servers = [izin, bare]
        for server in servers:
            server.wait_ready("/healthz")
        run = uuid.uuid4().hex[:6]
        warmup, _ = deliveries(f"evt_{run}_w_", args.senders * WARMUP_PER_SENDER, seed=1)
        for server in servers:
            blast(server.url + WEBHOOK_PATH, warmup, args.senders)
        rates: dict[str, list[float]] = {"bare": [], "izin": []}
        distinct: set[str] = set()
        # Rounds alternate the two, so a neighbour's load on a shared machine falls on both.
        for round_ in range(1, args.rounds + 1):
            sends, events = deliveries(f"evt_{run}_m{round_}_", args.events, seed=round_)
            distinct |= events
            for name, server in (("bare", bare), ("izin", izin)):
                took, statuses = blast(server.url + WEBHOOK_PATH, sends, args.senders)
                rates[name].append(len(sends) / took)
                print(f"round {round_} {name + ':':<6}{len(sends):>6,} deliveries in "
                      f"{took:6.2f} s {rates[name][-1]:>8,.0f} events/s  statuses {statuses}")
        print(f"({round(args.events * (1 - DUPLICATE_SHARE)):,} distinct events and "
              f"{args.events - round(args.events * (1 - DUPLICATE_SHARE)):,} repeated deliveries "
              f"a round, {args.senders} concurrent senders)")
        bare_rate, izin_rate = statistics.median(rates["bare"]), statistics.median(rates["izin"])
        print(f"bare endpoint (median):  {bare_rate:>8,.0f} events/s")
        print(f"Izin endpoint (median):  {izin_rate:>8,.0f} events/s")
        print(f"ratio Izin / bare:       {izin_rate / bare_rate:8.2f}x")
        rows, unique, missing = stored_once(database_url, f"evt_{run}_m", distinct)
        once = rows == unique == len(distinct) and not missing
        print(f"stored: {rows:,} rows for {len(distinct):,} distinct events, {missing} missing: "
              + ("every event stored exactly once" if once else "NOT stored exactly once"))
        if not once:
            sys.exit(1)
    finally:
        for server in servers:
            server.stop()
        rabbitmqctl("delete_vhost", vhost)
        if args.keep:
            print(f"kept: database {args.database}, logs in {workdir}")
        else:
            admin_sql(url, f'DROP DATABASE IF EXISTS "{args.database}"')
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

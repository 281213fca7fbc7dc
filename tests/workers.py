"""Real Celery workers for the tests that are about the queue: a worker process on a queue of
its own over Redis, reading the test database, and a client app of the test's own to send it
tasks (the project's app stays eager for the other tests, and nothing global changes)."""

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field

from celery import Celery
from django.conf import settings
from django.db import connection

BROKER = os.environ.get("CELERY_BROKER_URL", "")
if not BROKER.startswith("redis://"):
    BROKER = "redis://127.0.0.1:6379/0"


@dataclass
class Workers:
    """Starts workers; ``stop`` ends them all (call it from the fixture's teardown)."""

    started: list = field(default_factory=list)

    def start(self, task: str, *, concurrency: int = 2, **environment):
        """A worker on a fresh queue with the test database and ``environment``; returns how to
        send it ``task`` (``send(*args)`` → an AsyncResult)."""
        queue = f"izin-test-{uuid.uuid4().hex}"
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_BROKER_URL": BROKER,
            "CELERY_RESULT_BACKEND": BROKER,
            "CELERY_TASK_ALWAYS_EAGER": "false",  # a worker: its retries go through the broker
            **environment,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
             "--pool=prefork", f"--concurrency={concurrency}", "--without-gossip",
             "--without-mingle", "--loglevel=WARNING"],
            cwd=settings.BASE_DIR, env=env,
        )
        client = Celery("izin-test-client", broker=BROKER, backend=BROKER,
                        set_as_current=False)
        self.started.append((process, client))
        return lambda *args: client.send_task(task, args=args, queue=queue)

    def stop(self) -> None:
        for process, client in self.started:
            client.close()
            process.terminate()
            process.wait(timeout=60)

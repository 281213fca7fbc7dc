"""The restore drill, with the real commands on a database of its own: issue permits, back up,
destroy the database and the files, restore; then every permit verifies as before, every
signed PDF is byte-identical, and the next permit number continues without a gap or a repeat.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.db import connection

pytestmark = pytest.mark.postgres

# What the register holds, as the public and the files see it (run inside the drill database).
STATE = """
import hashlib, json
from documents.verification import permit_verification
from licensing.models import Permit
rows = {}
for permit in Permit.objects.exclude(file="").order_by("number"):
    with permit.file.open("rb") as stored:
        pdf = stored.read()
    rows[permit.number] = {"verification": permit_verification(permit),
                           "pdf_sha256": hashlib.sha256(pdf).hexdigest()}
print(json.dumps(rows))
"""

# One more permit of the demo's tourism registration (TDUP), through the real services.
ISSUE_ONE = """
import json
from demo.loader import BUSINESS
from demo.people import ACCOUNTS
from demo.permits import _issue
from licensing import services
from licensing.models import Business, PermitType, User
owner = User.objects.get(email=ACCOUNTS[0]["email"])
business = Business.objects.get(nib=BUSINESS["nib"])
answers = {"tourism_kind": "cafe", "opening_date": "2026-02-02",
           "venue": {"street": "Jl. Drill No. 1", "kelurahan": "Sukaramai",
                     "kecamatan": "pekanbaru_kota"}}
application = services.application_create(
    business=business, permit_type=PermitType.objects.get(code="TDUP"), actor=owner,
    answers=answers)
print(json.dumps(_issue(application, owner).number))
"""


@pytest.fixture
def drill(tmp_path, signing_dir):
    """A database of its own, with the local settings (eager tasks, the demo) pointed at it."""
    name = f"izin_drill_{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local",
           "DATABASE_URL": url, "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
           "SIGNING_DEV_DIR": str(signing_dir), "DJANGO_SECRET_KEY": "drill-" + "x" * 40}
    env.pop("CELERY_BROKER_URL", None)  # tasks run in the command that queues them

    def run(*args: str) -> str:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=django_settings.BASE_DIR,
                                env=env, capture_output=True, text=True, timeout=600,
                                check=False)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout

    def python(code: str):
        return json.loads(run("shell", "-c", code).strip().splitlines()[-1])

    admin = psycopg2.connect(dbname="postgres", user=db["USER"], host=db["HOST"],
                             port=db["PORT"] or 5432)
    admin.autocommit = True

    def sql(statement: str) -> None:
        with admin.cursor() as cursor:
            cursor.execute(statement)

    sql(f'CREATE DATABASE "{name}"')
    try:
        yield run, python, sql, name, tmp_path
    finally:
        sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_the_restore_drill(drill):
    run, python, sql, name, folder = drill
    run("migrate", "--noinput", "-v0")
    run("seed_demo")  # permits in every state, and a month of the treasury's work
    before = python(STATE)
    assert len(before) >= 5
    assert {row["verification"]["state"] for row in before.values()} >= {
        "active", "suspended", "revoked", "superseded"}

    backup = folder / "backup"
    assert "Backed up the database and" in run("backup", "--to", str(backup))

    sql(f'DROP DATABASE "{name}" WITH (FORCE)')  # the database is gone
    shutil.rmtree(folder / "private")  # and so are the files

    assert "Restored the database and" in run("restore", str(backup), "--yes")
    after = python(STATE)
    assert after == before  # each permit verifies as it did, with byte-identical PDFs
    for row in after.values():
        assert row["pdf_sha256"] == row["verification"]["sha256"]

    def seq(number: str) -> int:  # 556/TDUP/00007/DPMPTSP/2026
        return int(number.split("/")[2])

    last = max(seq(number) for number in before if "/TDUP/" in number)
    number = python(ISSUE_ONE)
    assert "/TDUP/" in number and seq(number) == last + 1  # no gap, no repeat

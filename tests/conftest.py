import io
import os
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings


def on_postgres() -> bool:
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` run on PostgreSQL only. Locally they are skipped with a reason;
    in CI (IZIN_REQUIRE_POSTGRES=1) a missing PostgreSQL is an error, never a silent skip."""
    if on_postgres():
        return
    if os.environ.get("IZIN_REQUIRE_POSTGRES"):
        raise pytest.UsageError("IZIN_REQUIRE_POSTGRES is set but DATABASE_URL is not PostgreSQL.")
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (as .ci/run does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test stores uploads in its own folder."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    yield
    shutil.rmtree(tmp_path / "private", ignore_errors=True)


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory):
    """The development CA and signing key, made once by the real command, never in $HOME."""
    folder = tmp_path_factory.mktemp("signing")
    with override_settings(SIGNING_DEV_DIR=str(folder)):
        call_command("signing_init", stdout=io.StringIO())
    return folder


DB_FIXTURES = ("db", "transactional_db", "django_db_reset_sequences", "live_server")


@pytest.fixture(autouse=True)
def _signing(request, settings, signing_dir):
    """Every test signs with the test CA; a test with a database has the office's signer, as
    every deployment does, so lifecycles can end in a signed permit."""
    settings.SIGNING_DEV_DIR = str(signing_dir)
    settings.SIGNING_PKCS12_PATH = ""
    settings.SIGNING_TSA_URL = ""
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("_django_db_helper")
    elif used := [name for name in DB_FIXTURES if name in request.fixturenames]:
        request.getfixturevalue(used[0])
    else:
        return
    from licensing.models import Signer

    Signer.objects.get_or_create(is_active=True, defaults={
        "name": "Dra. Siti Aminah, M.Si.", "title": "Kepala DPMPTSP Kota Pekanbaru",
        "nip": "197001011995032001",
    })


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate limits, the sweeper's memory of what it
    queued): ids repeat from one test's database to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _second_factor_on_force_login(monkeypatch):
    """``client.force_login(staff)`` stands for a staff member who signed in with both factors:
    the session is verified with an authenticator of theirs, as the two-step page would leave
    it. The enforcement itself stays on for every request (tests/licensing/test_two_factor.py
    signs in without it with ``login_with_password_only``)."""
    from django.test.client import ClientMixin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        verify_session(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)
    monkeypatch.setattr(ClientMixin, "login_with_password_only", original, raising=False)


def verify_session(client, user) -> None:
    """Mark ``client``'s session as signed in with a second factor, if ``user`` owes one."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from licensing import two_factor

    if not two_factor.is_required(user):
        return
    device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
              or TOTPDevice.objects.create(user=user, name="Test authenticator"))
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _celery_join_flag_cleared():
    """Celery marks "inside a task" in one process-wide flag, saved and restored around each
    eager task (celery/result.py, ``denied_join_result``). Two eager tasks at once in two request
    threads of a live server restore each other's saved value and can leave it set, and every
    later ``result.get()`` of the run would then refuse ("Never call result.get() within a
    task"). Each test starts with it cleared, as a fresh process would."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)

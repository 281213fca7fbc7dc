import os
import shutil

import pytest
from django.conf import settings


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

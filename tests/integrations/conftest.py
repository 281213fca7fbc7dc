import pytest


@pytest.fixture
def oss(live_server, settings):
    """Izin's OSS lookup pointed at the sandbox registry on the live server, over real HTTP."""
    settings.OSS_BASE_URL = live_server.url + "/sandbox/oss"
    return live_server

import random

import pytest
import responses

from payments.gateway.client import GatewayClient

from .wire import BASE_URL, SECRET_KEY


@pytest.fixture
def wire():
    """The gateway's side of the wire; every registered answer must be asked for."""
    with responses.RequestsMock() as mock:
        yield mock


@pytest.fixture
def sleeps():
    """The waits the client asked for between attempts, instead of sleeping through them."""
    return []


@pytest.fixture
def client(sleeps):
    return GatewayClient(
        base_url=BASE_URL, secret_key=SECRET_KEY, sleep=sleeps.append, rng=random.Random(1)
    )

import pytest

from events.models import Subscription
from tests.events.receiver import Receiver

SECRET = "whsec_partner_test"


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def subscription(settings, receiver):
    settings.EVENTS_SUBSCRIPTION_SECRETS = {"partner": SECRET}
    return Subscription.objects.create(name="Partner", url=receiver.url, secret_name="partner")

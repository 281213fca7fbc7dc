"""The verification pages' rate limits count the client behind the deployment's proxies
(config.client_address), not the proxy itself: two people behind one proxy are counted apart,
and a client cannot pick its own address."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


def key_page(client, forwarded: str):
    return client.get(reverse("verify_public_key"), REMOTE_ADDR=PROXY,
                      HTTP_X_FORWARDED_FOR=forwarded)


def test_clients_behind_the_trusted_proxy_are_counted_apart(client, settings, signing_dir):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.VERIFY_RATE_LIMITS = {"lookup": 2, "upload": 1}
    assert [key_page(client, "198.51.100.1").status_code for _ in range(3)] == [200, 200, 429]
    assert key_page(client, "198.51.100.2").status_code == 200


def test_a_forged_first_hop_does_not_buy_a_new_allowance(client, settings, signing_dir):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.VERIFY_RATE_LIMITS = {"lookup": 1, "upload": 1}
    assert key_page(client, "1.1.1.1, 198.51.100.1").status_code == 200
    assert key_page(client, "2.2.2.2, 198.51.100.1").status_code == 429

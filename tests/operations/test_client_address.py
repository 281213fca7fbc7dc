"""Rate limits count the client behind the deployment's proxies, never an address a client
made up."""

from django.test import RequestFactory

from config.client_address import client_address


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/verify/", **extra)


def test_without_trusted_proxies_the_connection_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_a_trusted_proxy_names_its_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from("10.0.0.5", "198.51.100.1")) == "198.51.100.1"


def test_what_a_client_wrote_before_the_proxies_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    # The client forged a first hop; the load balancer (10.0.0.9) appended the real one, and
    # the local proxy (127.0.0.1) appended the load balancer.
    forged = request_from("127.0.0.1", "1.2.3.4, 198.51.100.23, 10.0.0.9")
    assert client_address(forged) == "198.51.100.23"


def test_an_untrusted_sender_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from("203.0.113.7", "10.0.0.1")) == "203.0.113.7"


def test_garbage_in_the_header_counts_against_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from("10.0.0.5", "not-an-ip")) == "10.0.0.5"
    assert client_address(request_from("10.0.0.5", "x" * 10_000)) == "10.0.0.5"

"""Asking OSS about a NIB (inqueryNIB) over real HTTP, against the sandbox registry on a live
server: known, unknown, and every way of not getting an answer."""

import socket

import pytest

from integrations.oss_sandbox.models import RegistryBusiness
from licensing.oss import OssUnavailable, inquiry_enabled, nib_inquiry
from tests.integrations.oss import NAME, NIB, in_registry

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_nib_in_the_registry_comes_back_as_its_record(oss):
    in_registry()
    found = nib_inquiry(NIB)
    assert (found.nib, found.legal_name, found.npwp) == (NIB, NAME, "012345678912000")
    assert found.kbli_codes == ("56101", "47111")
    assert found.person_name == "Hj. Siti Rahmah"


def test_a_nib_the_registry_does_not_know_is_none(oss):
    in_registry()
    assert nib_inquiry("9120009999999") is None


def test_a_wrong_key_is_oss_unavailable_not_an_unknown_nib(oss, settings):
    in_registry()
    settings.OSS_API_KEY = "not-the-key"
    with pytest.raises(OssUnavailable, match="http_401"):
        nib_inquiry(NIB)


def test_oss_down_is_oss_unavailable(settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.OSS_BASE_URL = f"http://127.0.0.1:{port}/oss"  # nothing listens there any more
    with pytest.raises(OssUnavailable, match="ConnectionError"):
        nib_inquiry(NIB)


def test_an_answer_that_is_not_oss_is_oss_unavailable(oss, settings, live_server):
    # Izin's own home page answers, but it is no registry: not "unknown", not a record.
    settings.OSS_BASE_URL = live_server.url + "/sandbox/oss/not-here"
    with pytest.raises(OssUnavailable):
        nib_inquiry(NIB)


def test_a_record_the_registry_garbled_is_oss_unavailable(oss):
    registry = in_registry()
    RegistryBusiness.objects.filter(pk=registry.pk).update(
        data={**registry.data, "npwp_perseroan": "12"})
    with pytest.raises(OssUnavailable, match="record_invalid invalid_npwp"):
        nib_inquiry(NIB)


def test_without_a_base_url_the_lookup_is_off(settings):
    settings.OSS_BASE_URL = ""
    assert not inquiry_enabled()
    with pytest.raises(OssUnavailable):
        nib_inquiry(NIB)

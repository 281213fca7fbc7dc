"""A regional permit's status goes back to OSS (receiveLicenseStatus) through the outbox: a
subscription in the "oss_license_status" shape, delivered signed over real HTTP to the sandbox
OSS on a live server, which records what it took and refuses what is not signed by Izin."""

import json
import time
from zoneinfo import ZoneInfo

import pytest
import requests

from events import shapes
from events.models import Delivery, DeliveryState, Event, Subscription
from events.services import deliveries_redeliver
from events.signing import signature_header
from integrations import oss_status
from integrations.oss_sandbox.models import ReceivedLicenseStatus
from licensing import permits, roles
from tests.documents.permits import issued
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "whsec_oss_sandbox"  # the sandbox's OSS_SANDBOX_SIGNING_SECRET in the test settings
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def to_oss(live_server, settings):
    settings.EVENTS_SUBSCRIPTION_SECRETS = {"oss": SECRET}
    return Subscription.objects.create(
        name="OSS", url=live_server.url + "/sandbox/oss/receiveLicenseStatus",
        secret_name="oss", shape=oss_status.NAME, topics=list(oss_status.TOPICS))


def test_the_shape_is_registered_for_the_permit_topics_only():
    shape = shapes.get(oss_status.NAME)
    assert shape is not None and shape.shaper is oss_status.license_status
    assert set(shape.topics) == {"permit.issued", "permit.suspended", "permit.reinstated",
                                 "permit.revoked", "permit.expired", "permit.renewed"}


def test_an_issued_then_suspended_permit_reaches_oss_as_izinstatus(
        to_oss, django_capture_on_commit_callbacks):
    permit = issued(django_capture_on_commit_callbacks)
    [received] = ReceivedLicenseStatus.objects.all()
    event = Event.objects.get(topic="permit.issued")
    assert (received.nib, received.id_izin, received.kd_izin, received.kd_instansi) == (
        permit.holder.nib, permit.number, permit.permit_type.code, "471")
    assert (received.kd_status, received.nip_status, received.nama_status) == (
        "50", permit.signer.nip, permit.signer.name)
    assert received.tgl_status == event.occurred_at.astimezone(WIB).strftime("%Y-%m-%d %H:%M:%S")
    assert received.keterangan.startswith("Disetujui. Berlaku ")
    body = json.loads(received.body)
    assert set(body) == {"IZINSTATUS"}
    assert received.headers["Izin-Event-Id"] == str(event.uid)
    assert Delivery.objects.get(event=event).state == DeliveryState.DELIVERED

    head = UserFactory(groups=[roles.HEAD_OF_OFFICE])
    with django_capture_on_commit_callbacks(execute=True):
        permits.permit_suspend(permit=permit, actor=head, reason="Inspeksi dapur")
    assert list(ReceivedLicenseStatus.objects.order_by("pk")
                .values_list("id_izin", "kd_status")) == [(permit.number, "50"),
                                                          (permit.number, "70")]


def test_a_redelivery_is_recorded_once(to_oss, django_capture_on_commit_callbacks):
    issued(django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_redeliver(delivery_ids=[delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 1)
    assert ReceivedLicenseStatus.objects.count() == 1


def test_a_delivery_signed_with_another_secret_is_refused_and_nothing_recorded(
        to_oss, settings, django_capture_on_commit_callbacks):
    settings.EVENTS_SUBSCRIPTION_SECRETS = {"oss": "whsec_not_the_sandboxes"}
    issued(django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_status_code) == (DeliveryState.RETRYING, 400)
    assert not ReceivedLicenseStatus.objects.exists()


def test_the_sandbox_refuses_a_bad_or_stale_signature(live_server):
    url = live_server.url + "/sandbox/oss/receiveLicenseStatus"
    body = json.dumps({"IZINSTATUS": {"nib": "9120001234567", "kd_status": "50"}}).encode()
    headers = {"Content-Type": "application/json"}
    for signature in ("", "t=1,v1=00", signature_header(body=body, secret="whsec_other"),
                      signature_header(body=body, secret=SECRET,
                                       timestamp=int(time.time()) - 3600)):
        response = requests.post(url, data=body, headers={**headers, "Izin-Signature": signature},
                                 timeout=5)
        assert response.status_code == 400
    assert not ReceivedLicenseStatus.objects.exists()

    good = signature_header(body=body, secret=SECRET)
    response = requests.post(url, data=body, headers={**headers, "Izin-Signature": good},
                             timeout=5)
    assert response.status_code == 200
    assert response.json()["responreceiveLicenseStatus"]["kode"] == 200
    assert ReceivedLicenseStatus.objects.get().kd_status == "50"

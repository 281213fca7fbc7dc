"""OSS sends a business identity to Izin (receiveNIB), over HTTP: the sandbox registry posts it
to Izin's API with a key of the ``oss`` scope, and Izin creates, then updates, the business."""

import pytest

from api.keys import api_key_issue
from integrations.oss_sandbox.registry import send_nib
from licensing.models import Business
from tests.factories import BusinessFactory
from tests.integrations.oss import NAME, NIB, in_registry
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db(transaction=True)


def test_oss_creates_then_updates_a_business_over_http(live_server):
    key, raw = api_key_issue(name="OSS RBA", scopes=["oss"])
    url = f"{live_server.url}/api/v1/oss/receive-nib"
    in_registry()

    created = send_nib(nib=NIB, url=url, api_key=raw)
    assert created.status_code == 201, created.body
    assert created.body == {"nib": NIB, "created": True}
    business = Business.objects.get(nib=NIB)
    assert business.legal_name == NAME
    assert business.kbli_codes == ["56101", "47111"]
    assert business.responsible_person_name == "Hj. Siti Rahmah"

    in_registry(legal_name="PT Melayu Jaya Sejahtera Tbk", kbli_codes=["56101"])
    updated = send_nib(nib=NIB, url=url, api_key=raw)
    assert updated.status_code == 200, updated.body
    assert updated.body == {"nib": NIB, "created": False}
    business.refresh_from_db()
    assert business.legal_name == "PT Melayu Jaya Sejahtera Tbk"
    assert business.kbli_codes == ["56101"]
    assert Business.objects.filter(nib=NIB).count() == 1
    # Both changes are in the audit trail under the key that delivered them.
    assert list(TransitionLog.objects.filter(object_id=business.pk, actor=key.user)
                .order_by("pk").values_list("transition", flat=True)) == ["oss_create",
                                                                           "oss_update"]
    assert key.calls.filter(status_code__in=[200, 201]).count() == 2


def test_only_a_key_of_the_oss_scope_is_heard(live_server):
    _key, raw = api_key_issue(name="Dinas PUPR", scopes=["applications", "catalogue"])
    in_registry()
    sent = send_nib(nib=NIB, url=f"{live_server.url}/api/v1/oss/receive-nib", api_key=raw)
    assert sent.status_code == 403
    assert sent.body["error"]["code"] == "forbidden"
    assert not Business.objects.filter(nib=NIB).exists()


def test_a_record_izin_cannot_take_is_refused_with_its_code(live_server):
    _key, raw = api_key_issue(name="OSS RBA", scopes=["oss"])
    in_registry(npwp="12")
    sent = send_nib(nib=NIB, url=f"{live_server.url}/api/v1/oss/receive-nib", api_key=raw)
    assert sent.status_code == 400
    assert sent.body["error"]["code"] == "invalid_npwp"
    assert not Business.objects.filter(nib=NIB).exists()


def test_a_frozen_business_is_not_changed_from_oss(live_server):
    BusinessFactory(nib=NIB, legal_name="PT Lama", state="frozen")
    _key, raw = api_key_issue(name="OSS RBA", scopes=["oss"])
    in_registry()
    sent = send_nib(nib=NIB, url=f"{live_server.url}/api/v1/oss/receive-nib", api_key=raw)
    assert sent.status_code == 409
    assert sent.body["error"]["code"] == "business_frozen"
    assert Business.objects.get(nib=NIB).legal_name == "PT Lama"

"""The holder's people hear of their permit: issued, changed by the office, ending soon (60 and
14 days before, each once however often the daily run comes)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from licensing import permits
from licensing.models import Permit
from licensing.tasks import permits_remind_expiring
from notifications.models import Notification
from tests.documents.permits import issued
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def permit(django_capture_on_commit_callbacks):
    return issued(django_capture_on_commit_callbacks)


def notices(permit, kind):
    owner = permit.holder.memberships.get().user
    return list(Notification.objects.filter(recipient=owner, kind=kind))


def test_the_issued_permit_is_announced_once(permit):
    [notice] = notices(permit, "permit.issued")
    assert notice.subject == f"Izin {permit.number} telah terbit"
    assert notice.url == f"/applications/{permit.application_id}/"


def test_a_suspension_and_its_reinstatement_are_each_told_with_the_reason(permit):
    head = UserFactory(groups=["head_of_office"])
    permits.permit_suspend(permit=permit, actor=head, reason="Pemeriksaan lapangan")
    permits.permit_reinstate(permit=permit, actor=head, reason="Selesai")
    [suspended] = notices(permit, "permit.suspended")
    assert "Pemeriksaan lapangan" in suspended.body
    assert len(notices(permit, "permit.active")) == 1


def test_a_permit_ending_soon_is_announced_60_then_14_days_before_each_once(permit):
    today = timezone.localdate()
    Permit.objects.filter(pk=permit.pk).update(valid_until=today + timedelta(days=61))
    assert permits.permit_remind_expiring() == 0

    Permit.objects.filter(pk=permit.pk).update(valid_until=today + timedelta(days=50))
    assert permits_remind_expiring.delay().get() == 1
    assert permits_remind_expiring.delay().get() == 0
    [first] = notices(permit, "permit.expiring")
    assert "perpanjang" in first.body.lower()

    Permit.objects.filter(pk=permit.pk).update(valid_until=today + timedelta(days=10))
    assert permits.permit_remind_expiring() == 1
    assert permits.permit_remind_expiring() == 0
    assert len(notices(permit, "permit.expiring")) == 2


def test_a_permit_without_an_end_or_no_longer_active_is_not_announced(permit):
    Permit.objects.filter(pk=permit.pk).update(valid_until=None)
    assert permits.permit_remind_expiring() == 0
    Permit.objects.filter(pk=permit.pk).update(
        valid_until=timezone.localdate() + timedelta(days=5))
    permits.permit_revoke(permit=permit, actor=UserFactory(groups=["head_of_office"]),
                          reason="Dicabut")
    assert permits.permit_remind_expiring() == 0

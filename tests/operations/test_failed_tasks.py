"""A task that fails for good is there for the administrator to see and send again."""

import pytest

from operations.models import FailedTask
from payments import tasks as payment_tasks
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_task_that_fails_for_good_is_recorded_with_its_arguments():
    # No such refund: an error retrying does not mend.
    result = payment_tasks.refund_send.apply(args=(987654,), throw=False)
    assert result.failed()
    failed = FailedTask.objects.get(task_id=result.id)
    assert failed.task_name == "payments.tasks.refund_send"
    assert failed.args == [987654]
    assert failed.exception == "DoesNotExist"
    assert "Refund matching query does not exist" in failed.message
    assert "Traceback" in failed.traceback


def test_the_administrator_sees_it_and_sends_it_again(client):
    result = payment_tasks.refund_send.apply(args=(987654,), throw=False)
    failed = FailedTask.objects.get(task_id=result.id)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get("/admin/operations/failedtask/")
    assert listing.status_code == 200
    assert "payments.tasks.refund_send" in listing.content.decode()

    response = client.post("/admin/operations/failedtask/", {
        "action": "send_again", "_selected_action": [failed.pk]}, follow=True)
    assert response.status_code == 200
    failed.refresh_from_db()
    # Sent again (at once, as there is no broker here): it failed again, and the page says so.
    assert failed.resent_at is not None
    assert "gagal lagi" in response.content.decode()  # Indonesian first: "failed again"

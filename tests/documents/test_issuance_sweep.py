"""Nothing waits forever on one lost message: the sweeper finds approved or paid applications
whose permit was never signed and issues them, once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from documents import issuance, tasks
from licensing.models import Permit
from licensing.states import ApplicationState as S
from tests.documents.permits import approved_free
from tests.payments.support import awaiting_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def sweep_at_once(settings):
    settings.ISSUANCE_SWEEP_AFTER_MINUTES = 0


def test_an_issuance_whose_task_was_lost_is_issued_by_the_sweeper(
        django_capture_on_commit_callbacks, sweep_at_once):
    application, _owner = approved_free(django_capture_on_commit_callbacks)  # task dropped
    assert issuance.issuance_pending() == [application.pk]

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.issuance_sweep.delay().result == 1

    application.refresh_from_db()
    assert application.state == S.ISSUED
    assert Permit.objects.get(application=application).is_stored
    assert issuance.issuance_pending() == []
    assert tasks.issuance_sweep.delay().result == 0


def test_a_row_numbered_but_never_signed_is_finished_with_its_number(
        django_capture_on_commit_callbacks, settings, tmp_path, sweep_at_once):
    application, _owner = approved_free(django_capture_on_commit_callbacks)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("the permits folder is not writable")
    settings.PRIVATE_MEDIA_ROOT = str(blocker / "private")
    with pytest.raises(OSError):
        issuance.application_issue(application_id=application.pk)
    numbered = Permit.objects.get(application=application)
    assert not numbered.is_stored

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")  # writable again
    assert tasks.issuance_sweep.delay().result == 1
    permit = Permit.objects.get(application=application)
    assert (permit.pk, permit.number) == (numbered.pk, numbered.number) and permit.is_stored


def test_the_sweeper_waits_for_a_fresh_issuance_and_never_issues_an_unpaid_one(
        django_capture_on_commit_callbacks, settings):
    settings.ISSUANCE_SWEEP_AFTER_MINUTES = 5
    fresh, _owner = approved_free(django_capture_on_commit_callbacks)
    unpaid, _owner, _invoice = awaiting_payment()
    assert unpaid.state == S.AWAITING_PAYMENT
    assert issuance.issuance_pending() == []
    later = timezone.now() + timedelta(minutes=6)
    assert issuance.issuance_pending(now=later) == [fresh.pk]


def test_an_application_is_queued_again_at_most_once_an_hour(
        django_capture_on_commit_callbacks, settings, sweep_at_once):
    application, _owner = approved_free(django_capture_on_commit_callbacks)
    settings.CELERY_TASK_ALWAYS_EAGER = False  # queued, not run: still pending afterwards
    settings.CELERY_BROKER_URL = "memory://"
    assert tasks.issuance_sweep.apply().result == 1
    assert issuance.issuance_pending() == [application.pk]
    assert tasks.issuance_sweep.apply().result == 0  # its task may still be retrying

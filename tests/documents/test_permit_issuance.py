"""Exactly-once issuance: one number and one signed PDF, however often or however interrupted."""

import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from documents import issuance
from documents.signing import SigningUnavailable
from documents.tasks import application_issue
from licensing import permits
from licensing.models import Application, Permit, Signer
from licensing.states import ApplicationState as S
from tests.documents.permits import approved_free, issued
from tests.factories import PermitTypeFactory, UserFactory
from tests.lifecycle import submitted

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list:
    from pathlib import Path

    return [p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.pdf") if "permits" in p.parts]


def test_issuing_twice_gives_one_number_and_one_pdf(django_capture_on_commit_callbacks, settings):
    application, _owner = approved_free(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        application_issue.delay(application.pk)
    first = Permit.objects.get(application=application)
    with django_capture_on_commit_callbacks(execute=True):
        application_issue.delay(application.pk)
    assert Permit.objects.filter(application=application).count() == 1
    assert Permit.objects.get(application=application).sha256 == first.sha256
    assert len(stored_files(settings)) == 1
    assert Application.objects.get(pk=application.pk).state == S.ISSUED
    assert first.number.startswith(f"{first.permit_type.code}/00001/")


def test_a_run_interrupted_after_numbering_is_completed_with_the_same_number(
        django_capture_on_commit_callbacks, settings):
    application, _owner = approved_free(django_capture_on_commit_callbacks)
    allocated = permits.permit_allocate(  # then the worker died
        application_id=application.pk, signer=Signer.objects.get(is_active=True), conditions=[])
    assert not allocated.is_stored
    assert Application.objects.get(pk=application.pk).state == S.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        application_issue.delay(application.pk)
    permit = Permit.objects.get(application=application)
    assert (permit.pk, permit.number) == (allocated.pk, allocated.number)
    assert permit.is_stored and len(stored_files(settings)) == 1
    assert Application.objects.get(pk=application.pk).state == S.ISSUED


def test_numbers_are_gap_free_per_type(django_capture_on_commit_callbacks):
    permit_type = PermitTypeFactory(risk_level="low")
    numbers = []
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            application, _owner = submitted(permit_type=permit_type)
        numbers.append(Permit.objects.get(application=application).number)
    assert [n.split("/")[1] for n in numbers] == ["00001", "00002", "00003"]


def test_signing_failure_stores_nothing_and_the_page_says_being_issued(
        django_capture_on_commit_callbacks, settings, tmp_path, client):
    application, owner = approved_free(django_capture_on_commit_callbacks)
    settings.SIGNING_DEV_DIR = str(tmp_path / "no-keys-here")
    with pytest.raises(SigningUnavailable):
        issuance.application_issue(application_id=application.pk)
    permit = Permit.objects.get(application=application)
    assert not permit.is_stored and permit.sha256 == ""
    assert stored_files(settings) == []
    assert Application.objects.get(pk=application.pk).state == S.APPROVED
    client.force_login(owner)
    page = client.get(f"/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"permit_download" not in page.content
    assert "/pdf/" not in page.content.decode()
    assert "permit" in page.content.decode().lower()
    assert page.context["permit_being_issued"] is True


def test_the_business_is_told_and_downloads_its_permit_others_get_404(
        django_capture_on_commit_callbacks, client):
    mail.outbox.clear()
    permit = issued(django_capture_on_commit_callbacks)
    assert any(permit.number in message.subject for message in mail.outbox)
    owner = permit.holder.memberships.get().user
    client.force_login(owner)
    page = client.get(f"/applications/{permit.application_id}/")
    assert f"/documents/permits/{permit.pk}/pdf/" in page.content.decode()
    response = client.get(f"/documents/permits/{permit.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    with permit.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()
    client.force_login(UserFactory())
    assert client.get(f"/documents/permits/{permit.pk}/pdf/").status_code == 404


def test_permit_pdf_command_writes_the_signed_file(django_capture_on_commit_callbacks, tmp_path):
    permit = issued(django_capture_on_commit_callbacks)
    out = tmp_path / "out.pdf"
    call_command("permit_pdf", permit.number, "--out", str(out), stdout=StringIO())
    with permit.file.open("rb") as stored:
        assert out.read_bytes() == stored.read()


def test_signing_init_keeps_existing_keys_unless_forced(settings, tmp_path):
    settings.SIGNING_DEV_DIR = str(tmp_path / "keys")
    call_command("signing_init", stdout=StringIO())
    key = (tmp_path / "keys" / "signer.key.pem").read_bytes()
    call_command("signing_init", stdout=StringIO())
    assert (tmp_path / "keys" / "signer.key.pem").read_bytes() == key
    call_command("signing_init", "--force", stdout=StringIO())
    assert (tmp_path / "keys" / "signer.key.pem").read_bytes() != key


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_give_one_number_and_one_pdf(settings):
    permit_type = PermitTypeFactory(risk_level="low")
    applications = []
    for _ in range(2):
        # No on-commit capture in a transactional test: stop the task from running on submit.
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = "memory://"
        applications.append(submitted(permit_type=permit_type)[0])
    settings.CELERY_TASK_ALWAYS_EAGER = True
    barrier = threading.Barrier(4)
    errors = []

    def issue(application_id):
        try:
            barrier.wait()
            issuance.application_issue(application_id=application_id)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(a.pk,)) for a in applications * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    permits = Permit.objects.filter(application__in=applications)
    assert sorted(p.number.split("/")[1] for p in permits) == ["00001", "00002"]
    assert len(stored_files(settings)) == 2
    assert set(Application.objects.filter(pk__in=[a.pk for a in applications])
               .values_list("state", flat=True)) == {S.ISSUED}

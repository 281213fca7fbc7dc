"""The application's timeline: every entry one translated sentence, every transition with a
label, reviewer groups by the names of their units."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from licensing.models import Application
from tests.factories import PermitTypeFactory, ReviewUnitFactory, UserFactory
from tests.lifecycle import submitted
from workflows import services as review
from workflows.models import ReviewTask, TransitionLog
from workflows.selectors import STATUS_CHANGED, application_timeline_for_user
from workflows.states import Decision, StepKind

pytestmark = pytest.mark.django_db


def declared_transitions(model) -> dict[str, str]:
    """Every transition the model's machine declares, with a target it moves to."""
    transitions = model._meta.get_field("state").get_all_transitions(model)
    return {transition.name: transition.target for transition in transitions}


@pytest.fixture
def in_review():
    permit_type = PermitTypeFactory(steps=["dinas_pupr"])
    ReviewUnitFactory(group__name="dinas_pupr", name_id="Dinas PUPR",
                      name_en="Public Works Office")
    application, owner = submitted(permit_type=permit_type)
    return application, owner


def labels(application, user, language="en") -> list[str]:
    with translation.override(language):
        return [entry.label for entry in
                application_timeline_for_user(application=application, user=user)]


def log(application, record, transition: str, target: str) -> None:
    """An audit entry as ``fsm_apply`` writes it (set-up for transitions not walked here)."""
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk,
        application=application, transition=transition, source=getattr(record, "state", ""),
        target=target,
    )


@pytest.mark.parametrize("model", [Application, ReviewTask])
def test_every_declared_transition_has_its_own_label(in_review, model):
    """Fails when a transition is added to a machine without a timeline label."""
    application, owner = in_review
    record = application if model is Application else application.review_tasks.get()
    transitions = declared_transitions(model)
    assert transitions
    before = len(labels(application, owner))
    for name, target in transitions.items():
        log(application, record, name, target)
    new = labels(application, owner)[before:]
    assert len(new) == len(transitions)
    assert str(STATUS_CHANGED) not in " ".join(new)


def test_review_work_is_told_by_step_unit_and_event_in_indonesian(in_review):
    application, owner = in_review
    task = application.review_tasks.get()
    reviewer = UserFactory(groups=["dinas_pupr"])
    review.task_claim(task=task, actor=reviewer)
    review.task_release(task=task, actor=reviewer)
    review.task_decide(task=task, actor=reviewer, decision=Decision.APPROVE)

    english = labels(application, owner)
    assert "Step 1 (Public Works Office): taken up by a reviewer" in english
    assert "Step 1 (Public Works Office): returned to the queue" in english
    assert "Step 1 (Public Works Office): approved" in english
    indonesian = labels(application, owner, "id")
    assert "Langkah 1 (Dinas PUPR): diambil oleh verifikator" in indonesian
    assert "Langkah 1 (Dinas PUPR): disetujui" in indonesian
    assert any(label.startswith("Langkah 1 (Dinas PUPR): verifikasi dimulai, batas waktu")
               for label in indonesian)
    assert not any("dinas_pupr" in label or "taken up" in label for label in indonesian)


def test_an_unknown_transition_is_a_translated_status_change(in_review):
    application, owner = in_review
    task = application.review_tasks.get()
    log(application, task, "reopen", "open")
    log(application, owner, "rename", "")  # a record of a model the timeline does not know

    assert labels(application, owner)[-2:] == [
        "Step 1 (Public Works Office): Status changed", "Status changed",
    ]
    assert labels(application, owner, "id")[-1] == "Status berubah"



def test_the_review_progress_reads_as_whole_indonesian_sentences(client):
    permit_type = PermitTypeFactory(steps=["dinas_pupr", "satpol_pp"])
    permit_type.review_steps.filter(position=2).update(kind=StepKind.INSPECTION)
    application, owner = submitted(permit_type=permit_type)
    review.task_decide(task=application.review_tasks.get(), actor=UserFactory(
        groups=["dinas_pupr"]), decision=Decision.APPROVE)
    inspection = application.review_tasks.get(group__name="satpol_pp")
    inspector = UserFactory(groups=["satpol_pp"])
    review.task_claim(task=inspection, actor=inspector)
    when = timezone.now() + timedelta(days=3)
    review.task_schedule_inspection(task=inspection, actor=inspector, at=when)

    client.force_login(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = " ".join(client.get(reverse("application_detail", args=[application.pk]))
                    .content.decode().split())
    with translation.override("id"):
        approved_on = date_format(timezone.localdate(), "j F Y")
        due = date_format(timezone.localtime(inspection.due_at), "j F Y")
        inspected_at = date_format(timezone.localtime(when), "j F Y, H:i")
    assert f"disetujui pada {approved_on}" in page
    assert f">batas waktu {due}<" in page
    assert f"peninjauan lapangan pada {inspected_at}" in page

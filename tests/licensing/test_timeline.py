"""The application's timeline: every entry one translated sentence, every transition with a
label for the office and a decision (its own sentence, or left out) for the business, reviewer
groups by the names of their units."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from licensing.models import Application, Permit
from payments.models import Invoice, Payment, Refund
from tests.factories import PermitTypeFactory, ReviewUnitFactory, UserFactory
from tests.lifecycle import submitted
from workflows import services as review
from workflows.models import ReviewTask, TransitionLog
from workflows.selectors import STATUS_CHANGED, application_timeline_for_user
from workflows.states import Decision, StepKind
from workflows.timeline import BUSINESS_EVENTS

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


@pytest.fixture
def office():
    return UserFactory(groups=["front_office"])


@pytest.mark.parametrize("model", [Application, ReviewTask])
def test_every_declared_transition_has_its_own_label(in_review, office, model):
    """Fails when a transition is added to a machine without a timeline label."""
    application, _owner = in_review
    record = application if model is Application else application.review_tasks.get()
    transitions = declared_transitions(model)
    assert transitions
    before = len(labels(application, office))
    for name, target in transitions.items():
        log(application, record, name, target)
    new = labels(application, office)[before:]
    assert len(new) == len(transitions)
    assert str(STATUS_CHANGED) not in " ".join(new)


@pytest.mark.parametrize("model", [Application, ReviewTask, Invoice, Refund, Permit])
def test_every_declared_transition_is_told_to_the_business_or_left_out_on_purpose(model):
    """Fails when a transition is added to a machine without deciding what the business reads
    of it."""
    decided = BUSINESS_EVENTS[(model._meta.app_label, model._meta.model_name)]
    assert set(declared_transitions(model)) <= set(decided)


def test_payment_attempts_are_left_out_of_the_business_story_whole():
    assert BUSINESS_EVENTS[(Payment._meta.app_label, Payment._meta.model_name)] is None


def test_the_business_reads_each_move_it_is_told_of_as_its_own_sentence(in_review):
    application, owner = in_review
    task = application.review_tasks.get()
    told = {name for name, sentence in BUSINESS_EVENTS[("licensing", "application")].items()
            if sentence is not None}
    before = len(labels(application, owner))
    for name, target in declared_transitions(Application).items():
        log(application, application, name, target)
    for name, target in declared_transitions(ReviewTask).items():
        log(application, task, name, target)
    new = labels(application, owner)[before:]
    told_of_tasks = ["approve", "request_changes", "reject"]
    assert len(new) == len(told) + len(told_of_tasks)
    text = " ".join(new)
    assert str(STATUS_CHANGED) not in text
    for jargon in ("taken up", "queue", "reassign", "dinas_pupr", "in_review", "→"):
        assert jargon not in text


def test_review_work_is_told_to_the_business_in_its_words(in_review):
    application, owner = in_review
    task = application.review_tasks.get()
    reviewer = UserFactory(groups=["dinas_pupr"])
    review.task_claim(task=task, actor=reviewer)
    review.task_release(task=task, actor=reviewer)
    review.task_decide(task=task, actor=reviewer, decision=Decision.APPROVE)

    assert labels(application, owner) == [
        "You started the application",
        "You submitted the application",
        "The office started the review",
        "Public Works Office started reviewing: Step 1",
        "Public Works Office approved: Step 1",
        "Approved",
    ]


def test_a_group_without_a_unit_is_the_office_to_the_business_never_its_code():
    application, owner = submitted(permit_type=PermitTypeFactory(steps=["dinas_tanpa_nama"]))
    review.task_decide(task=application.review_tasks.get(), actor=UserFactory(
        groups=["dinas_tanpa_nama"]), decision=Decision.REQUEST_CHANGES, message="Foto kabur.")
    with translation.override("en"):
        entries = application_timeline_for_user(application=application, user=owner)
    asked = [entry for entry in entries if entry.event == "reviewtask.request_changes"]
    assert [(entry.label, entry.note) for entry in asked] == [
        ("The licensing office asked for changes: Step 1", "Foto kabur.")]
    assert not any("dinas_tanpa_nama" in entry.label for entry in entries)
    # The application's own move repeats the step's entry: it is told once.
    assert not any(entry.event == "application.request_changes" for entry in entries)


def test_review_work_is_told_to_the_office_by_step_unit_and_event_in_indonesian(in_review,
                                                                               office):
    application, _owner = in_review
    task = application.review_tasks.get()
    reviewer = UserFactory(groups=["dinas_pupr"])
    review.task_claim(task=task, actor=reviewer)
    review.task_release(task=task, actor=reviewer)
    review.task_decide(task=task, actor=reviewer, decision=Decision.APPROVE)

    english = labels(application, office)
    assert "Step 1 (Public Works Office): taken up by a reviewer" in english
    assert "Step 1 (Public Works Office): returned to the queue" in english
    assert "Step 1 (Public Works Office): approved" in english
    indonesian = labels(application, office, "id")
    assert "Langkah 1 (Dinas PUPR): diambil oleh verifikator" in indonesian
    assert "Langkah 1 (Dinas PUPR): disetujui" in indonesian
    assert any(label.startswith("Langkah 1 (Dinas PUPR): verifikasi dimulai, batas waktu")
               for label in indonesian)
    assert not any("dinas_pupr" in label or "taken up" in label for label in indonesian)


def test_an_unknown_transition_is_a_translated_status_change_to_the_office(in_review, office):
    application, owner = in_review
    task = application.review_tasks.get()
    before = labels(application, owner)
    log(application, task, "reopen", "open")
    log(application, owner, "rename", "")  # a record of a model the timeline does not know

    assert labels(application, office)[-2:] == [
        "Step 1 (Public Works Office): Status changed", "Status changed",
    ]
    assert labels(application, office, "id")[-1] == "Status berubah"
    # The business is not told of a change nobody can put in words.
    assert labels(application, owner) == before



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

"""The reviewer inbox: my groups' pending work, earliest due first, overdue marked, and
nothing of other groups (their task pages are 404)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from licensing import services as licensing_services
from tests.factories import PermitTypeFactory, UserFactory
from tests.lifecycle import submitted
from tests.workflows.support import form_post, pending_task
from workflows import services as review
from workflows.models import ReviewTask

pytestmark = pytest.mark.django_db


def _listed_references(response) -> list[str]:
    rows = re.findall(r'<tr class="task[^"]*" data-task="(\d+)"', response.content.decode())
    return [ReviewTask.objects.get(pk=pk).application.reference for pk in rows]


def _application_with_sla(days: int, group: str = "agency_a"):
    permit_type = PermitTypeFactory(steps=[group])
    permit_type.review_steps.update(sla_working_days=days)
    return submitted(permit_type=permit_type)[0]


def test_the_inbox_lists_the_earliest_due_first(client):
    late, soon, middle = (_application_with_sla(days) for days in (9, 1, 4))
    client.force_login(UserFactory(groups=["agency_a"]))
    response = client.get(reverse("inbox"))
    assert response.status_code == 200
    assert _listed_references(response) == [soon.reference, middle.reference, late.reference]


def test_overdue_tasks_are_marked(client):
    overdue, on_time = _application_with_sla(3), _application_with_sla(3)
    # Test set-up only: a due date in the past, as if the step had opened weeks ago.
    ReviewTask.objects.filter(application=overdue).update(
        due_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(UserFactory(groups=["agency_a"]))
    html = client.get(reverse("inbox")).content.decode()
    overdue_pk = ReviewTask.objects.get(application=overdue).pk
    on_time_pk = ReviewTask.objects.get(application=on_time).pk
    assert f'class="task is-overdue" data-task="{overdue_pk}"' in html
    assert f'class="task" data-task="{on_time_pk}"' in html
    assert _listed_references(client.get(reverse("inbox")))[0] == overdue.reference


def test_the_inbox_shows_who_claimed_a_task(client):
    application = _application_with_sla(3)
    claimer = UserFactory(groups=["agency_a"], full_name="Siti Rahmawati")
    review.task_claim(task=pending_task(application, "agency_a"), actor=claimer)
    client.force_login(UserFactory(groups=["agency_a"]))
    assert "Siti Rahmawati" in client.get(reverse("inbox")).content.decode()


def test_a_reviewer_of_another_group_sees_nothing_and_gets_404_on_the_task(client):
    application = _application_with_sla(3, group="agency_a")
    task = pending_task(application, "agency_a")
    client.force_login(UserFactory(groups=["agency_b"]))

    assert _listed_references(client.get(reverse("inbox"))) == []
    assert client.get(reverse("task_detail", args=[task.pk])).status_code == 404
    for name in ("task_claim", "task_release", "task_decide", "task_inspection",
                 "inspection_photo_upload"):
        response = form_post(client, reverse(name, args=[task.pk]), {"decision": "approve"})
        assert response.status_code == 404, name
    task.refresh_from_db()
    assert task.state == "open"


def test_a_later_steps_group_sees_the_application_only_once_it_reaches_their_step(client):
    permit_type = PermitTypeFactory(steps=["agency_a", "agency_b"])
    application, _owner = submitted(permit_type=permit_type)
    client.force_login(UserFactory(groups=["agency_b"]))
    assert _listed_references(client.get(reverse("inbox"))) == []

    review.task_decide(task=pending_task(application, "agency_a"),
                       actor=UserFactory(groups=["agency_a"]), decision="approve")
    assert _listed_references(client.get(reverse("inbox"))) == [application.reference]


def test_a_business_sees_no_review_work(client):
    application = _application_with_sla(3)
    owner = application.business.memberships.get().user
    client.force_login(owner)
    assert _listed_references(client.get(reverse("inbox"))) == []
    task = pending_task(application, "agency_a")
    assert client.get(reverse("task_detail", args=[task.pk])).status_code == 404


def test_withdrawn_applications_leave_the_inbox(client):
    application = _application_with_sla(3)
    owner = application.business.memberships.get().user
    licensing_services.application_withdraw(application=application, actor=owner)
    client.force_login(UserFactory(groups=["agency_a"]))
    assert _listed_references(client.get(reverse("inbox"))) == []


def test_the_inbox_needs_a_login(client):
    response = client.get(reverse("inbox"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]

"""What the inbox and the head of office's overview show of deadlines: days left against the
task's due time and the service standard, the applications at risk of approval by operation of
law first; the overview reassigns, and only its people see it."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from notifications.models import Notification
from tests.factories import PermitTypeFactory, ReviewUnitFactory, UserFactory
from tests.lifecycle import submitted
from tests.workflows.support import form_post, pending_task, shown_messages
from workflows.models import ReviewTask

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2027, 1, 11, 10, tzinfo=WIB)


def listed(response) -> list[str]:
    rows = re.findall(r'<tr class="task[^"]*" data-task="(\d+)"', response.content.decode())
    return [ReviewTask.objects.get(pk=pk).application.reference for pk in rows]


def application(*, sla: int, standard: int, by_law: bool, group: str = "agency_a"):
    permit_type = PermitTypeFactory(steps=[group], service_standard_days=standard,
                                    approved_by_law=by_law)
    permit_type.review_steps.update(sla_working_days=sla)
    with time_machine.travel(MONDAY, tick=False):
        return submitted(permit_type=permit_type)[0]


@pytest.fixture
def three():
    """At risk (by law, standard ends Wednesday), not by law though as close, and a quiet one
    due first."""
    return (application(sla=3, standard=2, by_law=True),
            application(sla=2, standard=2, by_law=False),
            application(sla=1, standard=10, by_law=True))


def test_the_inbox_puts_the_applications_at_risk_of_approval_by_law_first(client, three):
    risky, unlawful, quiet = three
    # Logged in on the day (a session started in December would have ended by January).
    with time_machine.travel(datetime(2027, 1, 12, 9, tzinfo=WIB), tick=False):
        client.force_login(UserFactory(groups=["agency_a"]))
        response = client.get(reverse("inbox"))
    assert listed(response) == [risky.reference, quiet.reference, unlawful.reference]
    page = " ".join(response.content.decode().split())
    assert "Risk: approval by operation of law" in page
    # Tuesday: the quiet task is due today, the risky one in two working days (13, 14), its
    # standard in one (13).
    assert "due today" in page and "2 working days left" in page
    assert "1 working day left" in page


def test_the_head_of_office_sees_every_open_task_and_reassigns_one(client, three):
    risky, _unlawful, _quiet = three
    other = application(sla=3, standard=10, by_law=True, group="agency_b")
    first, second = UserFactory(groups=["agency_a"]), UserFactory(groups=["agency_a"],
                                                                  full_name="Rina Sari")
    task = pending_task(risky, "agency_a")
    head = UserFactory(groups=["head_of_office"])
    with time_machine.travel(datetime(2027, 1, 15, 9, tzinfo=WIB), tick=False):
        client.force_login(head)
        response = client.get(reverse("review_overview"))
        assert listed(response)[0] == risky.reference
        assert other.reference in listed(response)
        assert "Rina Sari" in response.content.decode()  # offered for the agency_a tasks
        done = form_post(client, reverse("task_reassign", args=[task.pk]), {"to": second.pk},
                         follow=True)
    assert "The task is assigned to Rina Sari, who is told." in shown_messages(done)
    task.refresh_from_db()
    assert task.assignee == second and task.state == "claimed"
    assert Notification.objects.filter(recipient=second, kind="task.reassigned").exists()
    # A person outside the task's group is not offered, and a forged choice is refused.
    with time_machine.travel(datetime(2027, 1, 15, 9, 5, tzinfo=WIB), tick=False):
        refused = form_post(client, reverse("task_reassign", args=[task.pk]),
                            {"to": first.pk + 999}, follow=True)
    assert "Choose a reviewer." in shown_messages(refused)


def test_a_unit_supervisor_oversees_only_their_units_tasks(client, three):
    risky, _unlawful, _quiet = three
    other = application(sla=3, standard=10, by_law=True, group="agency_b")
    supervisor = UserFactory()
    ReviewUnitFactory(group=pending_task(other, "agency_b").group, supervisor=supervisor)
    client.force_login(supervisor)
    assert listed(client.get(reverse("review_overview"))) == [other.reference]
    response = form_post(client, reverse("task_reassign",
                                         args=[pending_task(risky, "agency_a").pk]), {"to": 1})
    assert response.status_code == 404


def test_reviewers_and_businesses_cannot_open_the_overview(client, three):
    client.force_login(UserFactory(groups=["agency_a"]))
    assert client.get(reverse("review_overview")).status_code == 403
    client.logout()
    assert client.get(reverse("review_overview")).status_code == 302

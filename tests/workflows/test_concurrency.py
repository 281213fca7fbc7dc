"""Decisions at the same moment, on PostgreSQL with real threads and real row locks."""

import threading
import uuid

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse

from licensing.models import Application
from licensing.states import ApplicationState as S
from tests.factories import PermitTypeFactory, UserFactory
from tests.lifecycle import submitted
from tests.workflows.support import pending_task
from workflows import services as review
from workflows.machine import TransitionRefused
from workflows.models import ReviewTask, TransitionLog
from workflows.states import DECIDED, TaskState

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*actions) -> list:
    """Run each action in its own thread, released at the same instant by a barrier. Returns each
    action's result or the exception it raised, in order."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = action()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return outcomes


def _application_entries(application, transition: str) -> int:
    return TransitionLog.objects.filter(
        application=application, transition=transition,
        content_type=ContentType.objects.get_for_model(Application),
    ).count()


def test_two_reviewers_deciding_one_task_at_once_exactly_one_decision_stands():
    permit_type = PermitTypeFactory(steps=["agency_a", "agency_b"])
    application, _owner = submitted(permit_type=permit_type)
    task = pending_task(application, "agency_a")
    approver, rejecter = UserFactory(groups=["agency_a"]), UserFactory(groups=["agency_a"])

    outcomes = run_together(
        lambda: review.task_decide(task=task, actor=approver, decision="approve"),
        lambda: review.task_decide(task=task, actor=rejecter, decision="reject",
                                   message="Tidak sesuai tata ruang"),
    )

    refused = [o for o in outcomes if isinstance(o, TransitionRefused)]
    assert len(refused) == 1, outcomes
    assert refused[0].code == "already_decided"
    decided = [o for o in outcomes if isinstance(o, ReviewTask)]
    assert len(decided) == 1
    task.refresh_from_db()
    assert task.state == decided[0].state
    decisions = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(ReviewTask), object_id=task.pk,
        transition__in=["approve", "reject"],
    )
    assert decisions.count() == 1
    expected = S.IN_REVIEW if task.state == TaskState.APPROVED else S.REJECTED
    assert Application.objects.get(pk=application.pk).state == expected


def _reviewer_client(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def test_through_the_pages_the_loser_sees_a_message_not_an_error():
    permit_type = PermitTypeFactory(steps=["agency_a", "agency_b"])
    application, _owner = submitted(permit_type=permit_type)
    task = pending_task(application, "agency_a")
    url = reverse("task_decide", args=[task.pk])
    clients = [_reviewer_client(UserFactory(groups=["agency_a"])) for _ in range(2)]

    def decide(client, data):
        def post():
            response = client.post(url, {"form_token": uuid.uuid4().hex, **data})
            page = client.get(response["Location"])
            return response.status_code, page.status_code, page.content.decode()
        return post

    outcomes = run_together(
        decide(clients[0], {"decision": "approve"}),
        decide(clients[1], {"decision": "reject", "message": "Lokasi di jalur hijau"}),
    )

    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    assert [(post, get) for post, get, _page in outcomes] == [(302, 200), (302, 200)]
    losers = [page for _post, _get, page in outcomes if "already decided by" in page]
    assert len(losers) == 1
    assert ReviewTask.objects.filter(application=application, state__in=list(DECIDED)).count() == 1


def test_the_last_two_parallel_approvals_at_once_approve_the_application_once():
    permit_type = PermitTypeFactory(paid_after_approval=True,
                                    steps=["front_office", ["agency_a", "agency_b"]])
    application, _owner = submitted(permit_type=permit_type)
    review.task_decide(task=pending_task(application, "front_office"),
                       actor=UserFactory(groups=["front_office"]), decision="approve")
    task_a, task_b = pending_task(application, "agency_a"), pending_task(application, "agency_b")
    reviewer_a, reviewer_b = UserFactory(groups=["agency_a"]), UserFactory(groups=["agency_b"])

    outcomes = run_together(
        lambda: review.task_decide(task=task_a, actor=reviewer_a, decision="approve"),
        lambda: review.task_decide(task=task_b, actor=reviewer_b, decision="approve"),
    )

    assert all(isinstance(o, ReviewTask) for o in outcomes), outcomes
    assert set(ReviewTask.objects.filter(pk__in=[task_a.pk, task_b.pk])
               .values_list("state", flat=True)) == {TaskState.APPROVED}
    assert _application_entries(application, "approve") == 1
    assert _application_entries(application, "request_payment") == 1
    assert Application.objects.get(pk=application.pk).state == S.AWAITING_PAYMENT

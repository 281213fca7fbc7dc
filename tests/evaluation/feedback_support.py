"""Applications that end in a permit or a rejection, through the real services, for the
survey's and the complaints' tests."""

from licensing.models import Application
from tests.documents.permits import issued
from tests.factories import PermitTypeFactory, UserFactory
from tests.lifecycle import submitted
from tests.workflows.support import pending_task
from workflows import services as review

SCORES = {"requirements": 4, "procedure": 3, "time": 3, "cost": 4, "product": 3,
          "competence": 4, "behaviour": 4, "complaints": 2, "facilities": 3}


def issued_application(django_capture_on_commit_callbacks, **business) -> Application:
    return Application.objects.get(pk=issued(django_capture_on_commit_callbacks,
                                              **business).application_id)


def rejected_application(**kwargs):
    """Rejected by its one review step; returns the application and its owner."""
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, owner = submitted(permit_type=permit_type, **kwargs)
    review.task_decide(task=pending_task(application, "agency_a"),
                       actor=UserFactory(groups=["agency_a"]), decision="reject",
                       message="Lokasi di jalur hijau")
    return Application.objects.get(pk=application.pk), owner


def survey_post(scores=None, comment="") -> dict:
    return {**(SCORES if scores is None else scores), "comment": comment}

"""Applications that reach the point of issue, through the real services."""

from licensing.models import Permit
from tests.factories import PermitTypeFactory
from tests.lifecycle import submitted


def approved_free(django_capture_on_commit_callbacks, **business):
    """A free low-risk application, approved on submission; its issuing task not yet run."""
    permit_type = PermitTypeFactory(risk_level="low", validity_months=12)
    with django_capture_on_commit_callbacks(execute=False):
        application, owner = submitted(permit_type=permit_type, **business)
    return application, owner


def issued(django_capture_on_commit_callbacks, **business) -> Permit:
    permit_type = PermitTypeFactory(risk_level="low", validity_months=12)
    with django_capture_on_commit_callbacks(execute=True):
        application, _owner = submitted(permit_type=permit_type, **business)
    return Permit.objects.get(application=application)

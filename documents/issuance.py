"""Issuing a permit: exactly once, however often it runs.

Three steps, each safe to repeat: the register allocates the number and the row
(``licensing.permits.permit_allocate``); the permit is rendered and signed here, outside any
lock (seconds of work); the register stores the file and issues the application
(``permit_store``). A crash between them leaves a row without a file, which the next run
completes with the same number. Whatever stops a run (a lost message, a worker killed, a
fault that outlasted the retries), ``issuance_pending`` finds the application again for the
sweeper (``documents.tasks.issuance_sweep``).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone
from django_fsm import can_proceed

from documents.services import permit_document_build
from documents.signing import SigningUnavailable
from licensing.models import Application, Permit, Signer
from licensing.permits import permit_allocate, permit_store
from licensing.states import ApplicationState
from workflows.selectors import application_conditions

# How many applications one sweep queues at most; the next sweep takes the rest.
SWEEP_BATCH = 200


def application_issue(*, application_id: int) -> Permit:
    """Issue the permit of an approved (and, where due, paid) application. Idempotent. Raises
    ``SigningUnavailable`` (and stores nothing) when no signer or key can sign it."""
    permit = Permit.objects.filter(application_id=application_id).first()
    if permit is None:
        signer = Signer.objects.filter(is_active=True).first()
        if signer is None:
            raise SigningUnavailable("no active signer is configured")
        application = Application.objects.get(pk=application_id)
        permit = permit_allocate(
            application_id=application_id, signer=signer,
            conditions=[condition.text for condition in application_conditions(application)],
        )
    if permit.is_stored:
        return permit
    document = permit_document_build(permit=permit)
    return permit_store(permit_id=permit.pk, pdf=document.pdf, sha256=document.sha256,
                        template_version=document.template_version)


def issuance_pending(*, now=None) -> list[int]:
    """Applications that should have a signed permit by now and have none: approved or paid,
    issuable, unmoved for ``ISSUANCE_SWEEP_AFTER_MINUTES`` (their issuance task was lost, or
    failed for good). Oldest first, at most ``SWEEP_BATCH``."""
    cutoff = (now or timezone.now()) - timedelta(minutes=settings.ISSUANCE_SWEEP_AFTER_MINUTES)
    waiting = (
        Application.objects
        .filter(state__in=[ApplicationState.APPROVED, ApplicationState.PAID])
        .filter(Q(permit__isnull=True) | Q(permit__file=""))
        .annotate(moved_at=Max("audit_entries__created_at"))
        .filter(moved_at__lt=cutoff)
        .order_by("moved_at", "pk")
        .select_related("permit_type")[:SWEEP_BATCH]
    )
    return [application.pk for application in waiting if can_proceed(application.issue)]

"""Issuing a permit: exactly once, however often it runs.

Three steps, each safe to repeat: the register allocates the number and the row
(``licensing.permits.permit_allocate``); the permit is rendered and signed here, outside any
lock (seconds of work); the register stores the file and issues the application
(``permit_store``). A crash between them leaves a row without a file, which the next run
completes with the same number.
"""

from documents.services import permit_document_build
from documents.signing import SigningUnavailable
from licensing.models import Application, Permit, Signer
from licensing.permits import permit_allocate, permit_store
from workflows.selectors import application_conditions


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

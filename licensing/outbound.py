"""What the register tells subscribed systems (``events``), called in the transaction of the
change, on the one transition that happens once. Payloads hold ids, numbers, states and dates:
a subscriber that needs more asks Izin for it."""

from events import topics
from events.services import publish
from licensing.models import Application, Permit, Purpose

# Application transitions subscribers hear of; the automatic approval without review is an
# approval like the reviewers'.
APPLICATION_TOPICS = {
    "submit": topics.APPLICATION_SUBMITTED,
    "approve": topics.APPLICATION_APPROVED,
    "approve_without_review": topics.APPLICATION_APPROVED,
    "reject": topics.APPLICATION_REJECTED,
    "approve_by_law": topics.APPLICATION_APPROVED_BY_LAW,
}
# A surrender is the holder's own revocation: for a subscriber the permit is revoked all the same.
PERMIT_TOPICS = {
    "suspend": topics.PERMIT_SUSPENDED,
    "reinstate": topics.PERMIT_REINSTATED,
    "revoke": topics.PERMIT_REVOKED,
    "surrender": topics.PERMIT_REVOKED,
    "expire": topics.PERMIT_EXPIRED,
}


def application_moved(*, application: Application, transition: str) -> None:
    topic = APPLICATION_TOPICS.get(transition)
    if topic is None:
        return
    publish(topic=topic, object_type="application", object_id=application.pk, payload={
        "reference": application.reference,
        "business_id": application.business_id,
        "permit_type": application.permit_type.code,
        "purpose": application.purpose,
        "state": application.state,
    })


def _permit_payload(permit: Permit) -> dict:
    return {
        "number": permit.number,
        "application_id": permit.application_id,
        "business_id": permit.holder_id,
        "state": permit.state,
        "valid_from": permit.valid_from.isoformat(),
        "valid_until": permit.valid_until.isoformat() if permit.valid_until else None,
    }


def permit_moved(*, permit: Permit, transition: str) -> None:
    topic = PERMIT_TOPICS.get(transition)
    if topic is None:
        return
    publish(topic=topic, object_type="permit", object_id=permit.pk,
            payload=_permit_payload(permit))


def permit_issued(*, permit: Permit) -> None:
    """The new permit is issued; a renewal's also tells of the permit it renews."""
    publish(topic=topics.PERMIT_ISSUED, object_type="permit", object_id=permit.pk,
            payload=_permit_payload(permit))
    application = permit.application
    if application.purpose == Purpose.RENEWAL and application.follows_permit_id is not None:
        renewed = Permit.objects.select_for_update(of=("self",)).get(
            pk=application.follows_permit_id)
        publish(topic=topics.PERMIT_RENEWED, object_type="permit", object_id=renewed.pk,
                payload={**_permit_payload(renewed), "renewed_by_permit_id": permit.pk,
                         "renewed_by_number": permit.number})

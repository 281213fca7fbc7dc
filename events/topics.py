"""What Izin tells subscribed systems: a closed list, so a misspelt topic fails in the caller's
test rather than reaching no subscriber."""

APPLICATION_SUBMITTED = "application.submitted"
APPLICATION_APPROVED = "application.approved"
APPLICATION_REJECTED = "application.rejected"
APPLICATION_APPROVED_BY_LAW = "application.approved_by_law"
INVOICE_ISSUED = "invoice.issued"
PAYMENT_SUCCEEDED = "payment.succeeded"
PAYMENT_REFUNDED = "payment.refunded"
PERMIT_ISSUED = "permit.issued"
PERMIT_SUSPENDED = "permit.suspended"
PERMIT_REINSTATED = "permit.reinstated"
PERMIT_REVOKED = "permit.revoked"
PERMIT_EXPIRED = "permit.expired"
PERMIT_RENEWED = "permit.renewed"
DAILY_CLOSE_CLOSED = "daily_close.closed"

TOPICS = (
    APPLICATION_SUBMITTED, APPLICATION_APPROVED, APPLICATION_REJECTED,
    APPLICATION_APPROVED_BY_LAW, INVOICE_ISSUED, PAYMENT_SUCCEEDED, PAYMENT_REFUNDED,
    PERMIT_ISSUED, PERMIT_SUSPENDED, PERMIT_REINSTATED, PERMIT_REVOKED, PERMIT_EXPIRED,
    PERMIT_RENEWED, DAILY_CLOSE_CLOSED,
)


class UnknownTopic(ValueError):
    pass

"""What payments tell the business: a bill to pay, the bill paid, money refunded. Sent through
``notifications.services.notify`` in the transaction of the event, keyed so each goes once."""

from django.urls import reverse
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from licensing.formats import rupiah
from notifications.services import notify


def _people(application):
    return application.business.members.filter(is_active=True)


def bill_issued(*, invoice) -> None:
    application = invoice.application
    notify(
        recipients=_people(application), event_key=f"invoice:{invoice.pk}:issued",
        kind="invoice.issued",
        subject=_("Bill %(number)s: %(amount)s to pay"),
        body=_("The levy for application %(reference)s is %(amount)s. Pay it by %(due)s; the "
               "permit is issued once it is paid. Billing code: %(code)s."),
        params={"number": invoice.number, "amount": rupiah(invoice.total),
                "reference": application.reference, "code": invoice.billing_code,
                "due": lazy(formats.date_format, str)(invoice.due_date, "j F Y")},
        url=reverse("invoice_detail", args=[invoice.pk]),
    )


def bill_paid(*, invoice) -> None:
    application = invoice.application
    notify(
        recipients=_people(application), event_key=f"invoice:{invoice.pk}:paid",
        kind="payment.received",
        subject=_("Payment received for %(reference)s"),
        body=_("We received %(amount)s for bill %(number)s of application %(reference)s. "
               "Thank you."),
        params={"number": invoice.number, "amount": rupiah(invoice.total),
                "reference": application.reference},
        url=reverse("invoice_detail", args=[invoice.pk]),
    )


def refund_paid(*, refund, application) -> None:
    notify(
        recipients=_people(application), event_key=f"refund:{refund.pk}:succeeded",
        kind="payment.refunded",
        subject=_("Refund of %(amount)s for %(reference)s"),
        body=_("%(amount)s was refunded for application %(reference)s. It reaches your account "
               "as your bank or payment method credits it."),
        params={"amount": rupiah(refund.amount), "reference": application.reference},
        url=reverse("application_detail", args=[application.pk]),
    )

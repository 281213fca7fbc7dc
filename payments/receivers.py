"""Payments' reactions to licensing: an application awaiting payment gets its bill (SKRD);
one withdrawn has its open bill cancelled. Connected in ``PaymentsConfig.ready``."""

from django.dispatch import receiver

from licensing.signals import application_entered
from licensing.states import ApplicationState
from payments.services import invoice_cancel_open, invoice_issue


@receiver(application_entered, dispatch_uid="payments_bill")
def issue_or_cancel_bill(sender, *, application, **kwargs) -> None:
    if application.state == ApplicationState.AWAITING_PAYMENT:
        invoice_issue(application=application)
    elif application.state == ApplicationState.WITHDRAWN:
        invoice_cancel_open(application=application)

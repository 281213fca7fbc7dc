"""What the notification tests share: a person with chosen channels, and one event to tell."""

from datetime import date

from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from notifications.phones import phone_normalise
from notifications.services import notify, preference_update
from tests.factories import UserFactory

# Messages the catalogue already translates, so the two languages really differ.
SUBJECT = _("Permit %(number)s is issued")
BODY = _("Permit %(number)s: %(state)s")


def person(*, language="id", email=True, sms=False, whatsapp=False, phone="", **user):
    user = UserFactory(**user)
    preference_update(user=user, language=language, email=email, sms=sms, whatsapp=whatsapp,
                      phone=phone_normalise(phone))
    return user


def tell(recipients, *, key="permit:7:issued", url="/permits/7/", when=date(2026, 12, 8)):
    """One event: the permit's number, and a date each recipient reads in their language."""
    return notify(
        recipients=recipients, event_key=key, kind="permit.issued", subject=SUBJECT,
        body=BODY, url=url,
        params={"number": "503/DPMPTSP/7", "state": lazy(formats.date_format, str)(
            when, "DATE_FORMAT")},
    )

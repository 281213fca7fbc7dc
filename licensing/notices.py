"""What the permit register tells a holder's people: the permit issued, changed by the office
(suspended, reinstated, revoked, expired), or ending soon. Through
``notifications.services.notify`` in the transaction of the event, keyed so each goes once."""

from django.urls import reverse
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from notifications.services import notify


def _people(permit):
    return permit.holder.members.filter(is_active=True)


def permit_issued(*, permit) -> None:
    notify(
        recipients=_people(permit), event_key=f"permit:{permit.pk}:issued", kind="permit.issued",
        subject=_("Permit %(number)s is issued"),
        body=_("The permit %(number)s for %(business)s (application %(reference)s) is issued "
               "and signed electronically. Download it from the application page."),
        params={"number": permit.number, "business": permit.holder.legal_name,
                "reference": permit.application.reference},
        url=reverse("application_detail", args=[permit.application_id]),
    )


def permit_changed(*, permit, entry_id: int) -> None:
    """The office moved the permit (``entry_id``: the audit entry of the move)."""
    notify(
        recipients=_people(permit), event_key=f"permit-move:{entry_id}",
        kind=f"permit.{permit.state}",
        subject=_("Permit %(number)s: %(state)s"),
        body=_("The permit %(number)s of %(business)s is now %(state)s. %(reason)s"),
        params={"number": permit.number, "business": permit.holder.legal_name,
                "state": lazy(permit.get_state_display, str)(), "reason": permit.state_reason},
        url=reverse("permit_detail", args=[permit.pk]),
    )


def permit_expiring(*, permit, days: int) -> None:
    notify(
        recipients=_people(permit), event_key=f"permit:{permit.pk}:expiring:{days}",
        kind="permit.expiring",
        subject=_("Permit %(number)s ends on %(until)s"),
        body=_("The permit %(number)s of %(business)s is valid until %(until)s. Apply to renew "
               "it before then from the permit's page."),
        params={"number": permit.number, "business": permit.holder.legal_name,
                "until": lazy(formats.date_format, str)(permit.valid_until, "j F Y")},
        url=reverse("permit_detail", args=[permit.pk]),
    )

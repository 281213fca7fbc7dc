"""The box that opens an application's page: where the application stands, in one plain sentence;
the one thing the business has to do now, if any; and when to expect the decision against the
service standard. Like GOV.UK's task pages: the next step is always in sight, everything else
comes below."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from licensing.formats import rupiah
from licensing.states import ApplicationState as S
from payments import selectors as payment_selectors
from workflows.selectors import DecisionClock


@dataclass(frozen=True)
class NextAction:
    kind: str  # submit, answer, pay or download: the page's data-next-action
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class ApplicationSummary:
    state: str
    state_label: str
    sentence: str
    action: NextAction | None
    clock: str  # running, overdue, paused, not_started; "" once decided or closed
    clock_text: str

    @property
    def next_action(self) -> str:
        return self.action.kind if self.action else "none"


SENTENCES = {
    S.DRAFT: gettext_lazy("You have started this application. The office receives it only "
                          "when you submit it."),
    S.SUBMITTED: gettext_lazy("The application is submitted to the office."),
    S.IN_REVIEW: gettext_lazy("The office is reviewing the application."),
    S.CHANGES_REQUESTED: gettext_lazy("The office asks you to change the application before "
                                      "it goes on with the review."),
    S.APPROVED: gettext_lazy("The application is approved. The permit is being issued."),
    S.AWAITING_PAYMENT: gettext_lazy("The application is approved. Pay the levy to receive the "
                                     "permit."),
    S.PAID: gettext_lazy("The payment is received. The permit is being issued."),
    S.ISSUED: gettext_lazy("The permit is issued."),
    S.REJECTED: gettext_lazy("The office rejected the application. Its reasons are in the "
                             "history below."),
    S.WITHDRAWN: gettext_lazy("The application is withdrawn; the office no longer handles it."),
    S.EXPIRED: gettext_lazy("The bill was not paid in time. Ask the office for a new bill to go "
                            "on with the application."),
    S.LAPSED: gettext_lazy("The application lapsed: the requested changes were not made in "
                           "time."),
}
# Types paid before review: the bill comes before the decision.
SENTENCES_PAID_FIRST = {
    S.AWAITING_PAYMENT: gettext_lazy("Pay the levy so that the office can start the review."),
    S.PAID: gettext_lazy("The payment is received. The review starts shortly."),
}


def application_summary(*, application, user, may_act: bool, missing: list, invoices,
                        permit, has_review: bool, clock: DecisionClock | None
                        ) -> ApplicationSummary:
    """From what the page has already read: the open bill among ``invoices``, the ``permit``,
    ``missing`` items of a draft, the review ``clock``."""
    state = S(application.state)
    decided = application.decided_at is not None
    sentence = (SENTENCES_PAID_FIRST[state] if state in SENTENCES_PAID_FIRST and not decided
                else SENTENCES[state])
    clock_kind, clock_text = _clock(application, state, decided, has_review, clock)
    return ApplicationSummary(
        state=state.value, state_label=state.label, sentence=str(sentence),
        action=_next_action(application, state, user, may_act, missing, invoices, permit, clock),
        clock=clock_kind, clock_text=clock_text,
    )


def _next_action(application, state, user, may_act, missing, invoices, permit,
                 clock) -> NextAction | None:
    if state == S.ISSUED and permit is not None:
        return NextAction("download", _("Download the permit (PDF)"),
                          reverse("permit_download", args=[permit.pk]))
    if not may_act:
        return None
    if state == S.DRAFT:
        if missing:
            return NextAction("submit", _("Complete the application"), "#missing",
                              _("Some answers or documents are still missing; then submit the "
                                "application."))
        return NextAction("submit", _("Submit the application"), "#submit-application",
                          _("The form and the documents are complete."))
    if state == S.CHANGES_REQUESTED:
        due = clock.changes_due_by if clock else None
        return NextAction(
            "answer", _("Answer the change request"), "#change-request",
            _("Send the changes by %(date)s, or the application lapses.") % {"date": _day(due)}
            if due else "",
        )
    if state == S.AWAITING_PAYMENT:
        bill = next((invoice for invoice in invoices
                     if payment_selectors.invoice_may_pay(invoice=invoice, user=user)), None)
        if bill is not None:
            return NextAction(
                "pay", _("Pay now"), reverse("invoice_detail", args=[bill.pk]),
                _("Pay %(amount)s by %(date)s.") % {
                    "amount": rupiah(bill.total),
                    "date": formats.date_format(bill.due_date, "j F Y"),
                },
            )
    return None


def _clock(application, state, decided, has_review, clock) -> tuple[str, str]:
    days = clock.standard_days if clock else application.permit_type.service_standard_days
    standard = ngettext("service standard: %(days)s working day",
                        "service standard: %(days)s working days", days) % {"days": days}
    if state == S.CHANGES_REQUESTED and clock and clock.paused_days_left is not None:
        return "paused", ngettext(
            "The service-standard clock is paused until you send the changes; %(days)s working "
            "day will then be left for the decision.",
            "The service-standard clock is paused until you send the changes; %(days)s working "
            "days will then be left for the decision.",
            clock.paused_days_left,
        ) % {"days": clock.paused_days_left}
    if state == S.IN_REVIEW and clock and clock.expected_by:
        values = {"date": _day(clock.expected_by), "standard": standard}
        if clock.overdue:
            return "overdue", _("The decision is late: it was expected by %(date)s "
                                "(%(standard)s).") % values
        return "running", _("Expected decision by %(date)s (%(standard)s).") % values
    if not has_review:
        return "", ""  # approved on submission
    if state == S.DRAFT:
        return "not_started", _("Once you submit the complete application, the office decides "
                                "within the service standard (%(standard)s).") % {
            "standard": standard}
    if state in (S.AWAITING_PAYMENT, S.PAID) and not decided:
        return "not_started", _("The review starts when the bill is paid; the office then "
                                "decides within the service standard (%(standard)s).") % {
            "standard": standard}
    return "", ""


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")

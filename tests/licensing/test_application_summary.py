"""The application page opens with a summary box: the state in plain words, the one thing the
business must do now (submit, answer, pay, download) and the expected decision against the
service standard; the long history is collapsed below, in the business's words. "Apply" starts
a draft; "Submit" sends it to the office.

Pages are read in English; the box is found by its data attributes. Clock tests travel to a
fixed office fortnight (January 2027 has no holiday between the 6th and the 29th)."""

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from licensing import services
from licensing.formats import rupiah
from licensing.states import ApplicationState as S
from payments import services as payments
from tests.documents.permits import approved_free, issued
from tests.factories import (
    BusinessFactory,
    PermitTypeFactory,
    RequiredDocumentFactory,
    ReviewUnitFactory,
    UserFactory,
)
from tests.lifecycle import complete, draft, submitted
from tests.payments.support import TOTAL, awaiting_payment, make_overdue
from tests.portal import in_english, permit_type_with_form, post
from workflows import services as review
from workflows.deadlines import deadlines_sweep
from workflows.states import Decision

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
SUMMARY = re.compile(r'<section class="summary[^"]*"(?P<attrs>[^>]*)>(?P<body>.*?)</section>',
                     re.S)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _english(client):
    in_english(client)


class Page:
    """The application page as one person reads it, and its summary box."""

    def __init__(self, client, user, application):
        client.force_login(user)
        response = client.get(reverse("application_detail", args=[application.pk]))
        assert response.status_code == 200
        self.html = response.content.decode()
        match = SUMMARY.search(self.html)
        assert match, "the page has no summary box"
        self.summary_html = match["body"]
        self.data = dict(re.findall(r'data-([\w-]+)="([^"]*)"', match["attrs"]))
        self.text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match["body"])).split())

    @property
    def state(self) -> str:
        return self.data["state"]

    @property
    def next_action(self) -> str:
        return self.data["next-action"]

    @property
    def action_href(self) -> str | None:
        found = re.search(r'<a class="button summary-action" href="([^"]+)"', self.summary_html)
        return html.unescape(found[1]) if found else None

    @property
    def history_events(self) -> list[str]:
        return re.findall(r'<li data-event="([^"]+)"', self.history_html)

    @property
    def history_html(self) -> str:
        found = re.search(r'<details class="history"[^>]*>.*?</details>', self.html, re.S)
        assert found, "the page has no collapsed history"
        return found[0]


def english_day(value) -> str:
    with translation.override("en"):
        return date_format(value, "j F Y")


def request_changes(application, group: str, message: str = "Foto lokasi kabur."):
    task = application.review_tasks.get(state="open")
    review.task_decide(task=task, actor=UserFactory(groups=[group]),
                       decision=Decision.REQUEST_CHANGES, message=message)


# Where the box sits.


def test_the_summary_comes_right_after_the_title_and_replaces_the_old_status_line(client):
    application, owner = draft(permit_type=PermitTypeFactory())
    page = Page(client, owner, application)
    after_title = page.html.split("</h1>", 1)[1].lstrip()
    assert after_title.startswith('<section class="summary')
    # The state is said once on the page: in the box.
    assert page.html.count('class="state"') == 1
    assert 'class="state">Draft<' in page.summary_html


# A draft.


def test_a_draft_with_missing_items_leads_to_completing_them(client):
    permit_type = permit_type_with_form(steps=["agency_a"], service_standard_days=10)
    application, owner = draft(permit_type=permit_type)
    page = Page(client, owner, application)
    assert (page.state, page.next_action) == (S.DRAFT, "submit")
    assert page.action_href == "#missing" and 'id="missing"' in page.html
    assert "Complete the application" in page.text
    assert page.data["clock"] == "not_started"
    assert "service standard: 10 working days" in page.text


def test_a_complete_draft_leads_to_the_submit_form(client):
    permit_type = PermitTypeFactory(steps=["agency_a"])
    RequiredDocumentFactory(permit_type=permit_type)
    application, owner = draft(permit_type=permit_type)
    complete(application, owner)
    page = Page(client, owner, application)
    assert (page.state, page.next_action) == (S.DRAFT, "submit")
    assert page.action_href == "#submit-application"
    submit = reverse("application_submit", args=[application.pk])
    assert f'action="{submit}" class="card" id="submit-application"' in page.html
    assert "Submit the application" in page.text


def test_nobody_but_the_business_is_offered_its_next_step(client):
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, owner = submitted(permit_type=permit_type)
    request_changes(application, "agency_a")
    assert Page(client, owner, application).next_action == "answer"
    reviewer = UserFactory(groups=["agency_a"])
    assert Page(client, reviewer, application).next_action == "none"


# In review: the service standard.


def in_review_at(moment, **type_fields):
    permit_type = PermitTypeFactory(steps=["agency_a"], service_standard_days=5, **type_fields)
    with time_machine.travel(moment, tick=False):
        return submitted(permit_type=permit_type)


def test_in_review_the_summary_gives_the_expected_decision_date(client):
    application, owner = in_review_at(at(2027, 1, 11, 10))
    with time_machine.travel(at(2027, 1, 12, 9), tick=False):
        page = Page(client, owner, application)
    assert (page.state, page.next_action, page.data["clock"]) == (S.IN_REVIEW, "none", "running")
    # Received Monday 11 January; five working days: 12, 13, 14, 15, 18.
    assert "Expected decision by 18 January 2027 (service standard: 5 working days)." in page.text


def test_once_the_standard_has_passed_the_summary_says_the_decision_is_late(client):
    application, owner = in_review_at(at(2027, 1, 11, 10))
    with time_machine.travel(at(2027, 1, 20, 9), tick=False):
        page = Page(client, owner, application)
    assert page.data["clock"] == "overdue"
    assert ("The decision is late: it was expected by 18 January 2027 "
            "(service standard: 5 working days).") in page.text
    assert "Expected decision by" not in page.text


def test_a_change_request_leads_to_its_answer_and_pauses_the_clock(client):
    application, owner = in_review_at(at(2027, 1, 11, 10))
    with time_machine.travel(at(2027, 1, 13, 10), tick=False):
        request_changes(application, "agency_a")
        page = Page(client, owner, application)
    assert (page.state, page.next_action) == (S.CHANGES_REQUESTED, "answer")
    assert page.action_href == "#change-request" and 'id="change-request"' in page.html
    assert "Answer the change request" in page.text
    # Ten working days to answer from Wednesday 13 January: the 27th.
    assert "Send the changes by 27 January 2027, or the application lapses." in page.text
    # The 13th counts as used: 14, 15 and 18 January are kept for the decision.
    assert page.data["clock"] == "paused"
    assert "paused until you send the changes; 3 working days will then be left" in page.text
    assert "Expected decision by" not in page.text

    with time_machine.travel(at(2027, 1, 14, 10), tick=False):
        post(client, reverse("application_resubmit", args=[application.pk]))
        page = Page(client, owner, application)
    # Resumed with the three days it kept: 15, 18, 19 January.
    assert (page.state, page.data["clock"]) == (S.IN_REVIEW, "running")
    assert "Expected decision by 19 January 2027 (service standard: 5 working days)." in page.text


def test_a_lapsed_application_says_so_and_asks_nothing(client):
    application, owner = in_review_at(at(2027, 1, 11, 10), correction_days=2)
    with time_machine.travel(at(2027, 1, 13, 10), tick=False):
        request_changes(application, "agency_a")
    with time_machine.travel(at(2027, 1, 18, 10), tick=False):
        deadlines_sweep()
        page = Page(client, owner, application)
    assert (page.state, page.next_action, page.data["clock"]) == (S.LAPSED, "none", "none")
    assert "The application lapsed" in page.text


# The bill.


def test_a_bill_to_pay_leads_to_paying_it_with_its_amount_and_due_date(client):
    application, owner, invoice = awaiting_payment()
    page = Page(client, owner, application)
    assert (page.state, page.next_action) == (S.AWAITING_PAYMENT, "pay")
    assert page.action_href == reverse("invoice_detail", args=[invoice.pk])
    assert "Pay now" in page.text
    with translation.override("en"):
        amount = rupiah(TOTAL)
    assert f"Pay {amount} by {english_day(invoice.due_date)}." in page.text
    # Decided already: no decision date to expect.
    assert page.data["clock"] == "none"


def test_a_type_paid_before_review_says_the_review_waits_for_the_payment(client):
    permit_type = PermitTypeFactory(steps=["agency_a"], paid_before_review=True,
                                    service_standard_days=7)
    application, owner = submitted(permit_type=permit_type)
    page = Page(client, owner, application)
    assert (page.state, page.next_action, page.data["clock"]) == (
        S.AWAITING_PAYMENT, "pay", "not_started")
    assert "The review starts when the bill is paid" in page.text
    assert "service standard: 7 working days" in page.text


def test_an_unpaid_bill_that_expired_asks_for_a_new_one(client):
    application, owner, invoice = awaiting_payment()
    make_overdue(invoice)
    payments.invoice_expire_overdue()
    page = Page(client, owner, application)
    assert (page.state, page.next_action) == (S.EXPIRED, "none")
    assert "Ask the office for a new bill" in page.text


# Being issued, issued.


def test_a_paid_application_is_being_issued(client):
    application, owner, invoice = awaiting_payment()
    payments.invoice_settle(invoice=invoice, paid_at=invoice.issued_at)
    page = Page(client, owner, application)
    assert (page.state, page.next_action) == (S.PAID, "none")
    assert "The payment is received. The permit is being issued." in page.text


def test_an_approved_application_is_being_issued(client, django_capture_on_commit_callbacks):
    application, owner = approved_free(django_capture_on_commit_callbacks)
    page = Page(client, owner, application)
    assert (page.state, page.next_action) == (S.APPROVED, "none")
    assert "The permit is being issued." in page.text


def test_an_issued_permit_is_downloaded_from_the_summary_and_its_hash_is_not_shown(
        client, django_capture_on_commit_callbacks):
    permit = issued(django_capture_on_commit_callbacks)
    owner = permit.holder.memberships.get().user
    page = Page(client, owner, permit.application)
    assert (page.state, page.next_action) == (S.ISSUED, "download")
    assert page.action_href == reverse("permit_download", args=[permit.pk])
    assert client.get(page.action_href).status_code == 200
    assert "SHA-256" not in page.html and permit.sha256[:14] not in page.html


# Closed without a permit.


def test_a_rejected_application_says_so_and_the_history_keeps_the_reason(client):
    application, owner = submitted(permit_type=PermitTypeFactory(steps=["agency_a"]))
    review.task_decide(task=application.review_tasks.get(), actor=UserFactory(
        groups=["agency_a"]), decision=Decision.REJECT, message="Lokasi di luar zona usaha.")
    page = Page(client, owner, application)
    assert (page.state, page.next_action, page.data["clock"]) == (S.REJECTED, "none", "none")
    assert "The office rejected the application." in page.text
    assert "Lokasi di luar zona usaha." in page.history_html
    assert "reviewtask.reject" in page.history_events


def test_a_withdrawn_application_says_so_and_asks_nothing(client):
    application, owner = draft(permit_type=PermitTypeFactory())
    services.application_withdraw(application=application, actor=owner)
    page = Page(client, owner, application)
    assert (page.state, page.next_action) == (S.WITHDRAWN, "none")
    assert "The application is withdrawn" in page.text
    assert page.history_events[-1] == "application.withdraw"


# The history.


def test_the_history_is_collapsed_and_told_in_the_business_s_words(client):
    permit_type = PermitTypeFactory(steps=["dinas_pupr"])
    ReviewUnitFactory(group__name="dinas_pupr", name_en="Public Works Office")
    application, owner = submitted(permit_type=permit_type)
    task = application.review_tasks.get()
    reviewer = UserFactory(groups=["dinas_pupr"])
    review.task_claim(task=task, actor=reviewer)
    review.task_release(task=task, actor=reviewer)
    review.task_claim(task=task, actor=reviewer)
    review.task_decide(task=task, actor=reviewer, decision=Decision.REQUEST_CHANGES,
                       message="Lengkapi denah.")

    page = Page(client, owner, application)
    history = page.history_html
    assert history.startswith('<details class="history" id="history">')  # closed: no "open"
    assert page.history_events == [
        "application.create", "application.submit", "application.start_review",
        "reviewtask.open", "reviewtask.request_changes",
    ]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", history)).split())
    assert "Public Works Office asked for changes: Step 1" in text
    assert "Lengkapi denah." in text
    for jargon in ("taken up", "queue", "Status changed", "dinas_pupr", "changes_requested",
                   reviewer.full_name, "System"):
        assert jargon not in text

    # The office still reads every step of the work, by name.
    office = Page(client, reviewer, application)
    assert office.history_events.count("reviewtask.claim") == 2
    assert "reviewtask.release" in office.history_events
    assert "taken up by a reviewer" in office.history_html
    assert reviewer.full_name in office.history_html


def test_the_review_steps_say_whether_a_reviewer_has_the_application_not_the_task_state(client):
    permit_type = PermitTypeFactory(steps=["dinas_pupr"])
    ReviewUnitFactory(group__name="dinas_pupr", name_en="Public Works Office")
    application, owner = submitted(permit_type=permit_type)
    task = application.review_tasks.get()

    def step_line() -> str:
        steps = re.search(r'<ol class="steps">(.*?)</ol>', Page(client, owner, application).html,
                          re.S)[1]
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", steps)).split())

    assert "Public Works Office: waiting for a reviewer" in step_line()
    review.task_claim(task=task, actor=UserFactory(groups=["dinas_pupr"]))
    line = step_line()
    assert "Public Works Office: being reviewed" in line
    assert "Claimed" not in line


# Apply, then submit.


def test_apply_starts_a_draft_and_submit_sends_it_to_the_office(client):
    permit_type = PermitTypeFactory(steps=["agency_a"])
    owner = UserFactory()
    business = BusinessFactory(owner=owner)
    client.force_login(owner)
    start = reverse("application_start", args=[permit_type.code])
    catalogue = client.get(reverse("catalogue_detail", args=[permit_type.code])).content.decode()
    assert f'<a class="button" href="{start}">Apply for this permit</a>' in catalogue
    assert "Submit" not in catalogue.split("<main", 1)[1]
    starting = client.get(start).content.decode()
    assert "This starts a draft" in starting and ">Start the application<" in starting

    post(client, start, {"business": business.pk})
    application = business.applications.get()
    page = Page(client, owner, application)
    assert page.state == S.DRAFT
    main = page.html.split("<main", 1)[1]
    assert ">Submit the application</button>" in main
    assert "Apply" not in main
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f'<a class="button" href="{reverse("catalogue")}">Apply for a permit</a>' in dashboard

"""A small month built by hand with the real services: October 2026, and September before it.
Every date is a working day in Asia/Jakarta (no national holiday falls in September, October or
early November 2026), each event placed at 09:00 of its day by time-machine.

Two permit types:
- PBG: the building approval of ``tests.payments.support`` (Rp 1.807.500 a bill, paid after
  approval), two review steps (agency_a, then agency_b), service standard 10 working days, one
  required document "Gambar teknis";
- SIP: free, one step (agency_c), service standard 5 working days.

What happens (the figures are worked out in ``test_monthly_figures``):
  Sep 21  B0 (SIP) submitted online
  Sep 23  agency_c approves B0: issued
  Sep 28  A4 (PBG) submitted online
  Sep 30  agency_a approves A4; complaint C1 filed (anonymous)
  Oct  1  agency_b approves A4: SKRD issued; A1 (PBG) online, B1 (SIP) at the counter
  Oct  2  A4 paid by card: issued; agency_a asks changes on A1 (Gambar teknis); C1 answered
  Oct  5  A2 (PBG) online; agency_c approves B1: issued; Rp 500.000 of A4 refunded
  Oct  6  A1 resubmitted with a new drawing
  Oct  7  agency_a approves A1, rejects A2
  Oct  8  agency_b approves A1: SKRD issued (unpaid until November)
  Oct 10  survey: PBG one answer of all 4s, one of all 3s
  Oct 12  A3 (PBG) filed at the counter
  Oct 13  A3 withdrawn
  Oct 14  B2 (SIP) online
  Oct 20  complaint C2 filed
  Oct 22  B2's standard ran out (Oct 21): approved by operation of law, issued
  Oct 23  survey: SIP one answer of all 4s
  Oct 26  B3 (SIP) online, still in review at the month's end
  Nov  2  A1's bill paid at a bank counter
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine

from documents.services import attachment_upload
from evaluation.complaints import complaint_answer, complaint_file_anonymous
from evaluation.models import ELEMENTS, SurveyResponse
from licensing import roles, services
from licensing.models import Application
from payments.models import Invoice
from payments.states import InvoiceState
from tests.factories import BusinessFactory, PermitTypeFactory, RequiredDocumentFactory, UserFactory
from tests.lifecycle import Upload, complete, draft, pdf_bytes
from tests.payments.support import ANSWERS, building_type
from tests.treasury import books
from tests.treasury.refunding import officer, pay, refund_of, supervisor
from workflows import deadlines
from workflows import services as review
from workflows.models import ReviewTask

WIB = ZoneInfo("Asia/Jakarta")


def on(day: date, hour: int = 9):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=WIB), tick=True)


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def decide(application, group: str, decision: str = "approve", **kwargs):
    task = ReviewTask.objects.get(application=application, group__name=group,
                                  state__in=["open", "claimed"])
    message = kwargs.pop("message", "" if decision == "approve" else "Mohon diperbaiki.")
    return review.task_decide(task=task, actor=UserFactory(groups=[group]),
                              decision=decision, message=message, **kwargs)


def submit(permit_type, *, at_counter: bool = False):
    if at_counter:
        clerk = UserFactory(groups=[roles.FRONT_OFFICE])
        application, actor = draft(permit_type=permit_type, owner=clerk,
                                   business=BusinessFactory(owner=UserFactory()),
                                   answers=dict(ANSWERS) if permit_type.code == "PBG" else None)
    else:
        application, actor = draft(permit_type=permit_type,
                                   answers=dict(ANSWERS) if permit_type.code == "PBG" else None)
    complete(application, actor)
    return services.application_submit(application=application, actor=actor), actor


def open_bill(application) -> Invoice:
    return Invoice.objects.get(application=application, state=InvoiceState.ISSUED)


def answer_survey(permit_type, day: date, score: int) -> None:
    # The survey's own service is tested with the survey; here only the answers' month counts.
    SurveyResponse.objects.create(permit_type=permit_type, answered_on=day,
                                  **{name: score for name, _label in ELEMENTS})


def build_month() -> dict:
    """Run the story above; returns its permit types and applications by name."""
    pbg = building_type(code="PBG", name_id="Persetujuan Bangunan Gedung",
                        steps=["agency_a", "agency_b"], service_standard_days=10)
    drawing = RequiredDocumentFactory(permit_type=pbg, name_id="Gambar teknis",
                                      name_en="Technical drawings")
    sip = PermitTypeFactory(code="SIP", name_id="Surat Izin Praktik", steps=["agency_c"],
                            service_standard_days=5)
    head = UserFactory(groups=[roles.HEAD_OF_OFFICE])

    with on(date(2026, 9, 21)):
        b0, _owner = submit(sip)
    with on(date(2026, 9, 23)):
        decide(b0, "agency_c")
    with on(date(2026, 9, 28)):
        a4, a4_owner = submit(pbg)
    with on(date(2026, 9, 30)):
        decide(a4, "agency_a")
        c1 = complaint_file_anonymous(body="Antrean loket terlalu lama.")
    with on(date(2026, 10, 1)):
        decide(a4, "agency_b")
        a1, a1_owner = submit(pbg)
        b1, _clerk = submit(sip, at_counter=True)
    with on(date(2026, 10, 2)):
        a4_payment = pay(open_bill(a4), a4_owner)
        decide(a1, "agency_a", "request_changes", message="Gambar tidak terbaca.",
               documents_to_replace=[drawing])
        complaint_answer(complaint=c1, actor=head, answer="Loket kedua kami buka.")
    with on(date(2026, 10, 5)):
        a2, _owner = submit(pbg)
        decide(b1, "agency_c")
        refund = refund_of(a4_payment, 500_000, maker=officer(), checker=supervisor())
    with on(date(2026, 10, 6)):
        attachment_upload(application=a1, requirement=drawing, actor=a1_owner,
                          uploaded_file=Upload(pdf_bytes("v2"), "gambar.pdf"))
        services.application_resubmit(application=fresh(a1), actor=a1_owner)
    with on(date(2026, 10, 7)):
        decide(a1, "agency_a")
        decide(a2, "agency_a", "reject", message="Lokasi bukan zona bangunan.")
    with on(date(2026, 10, 8)):
        decide(a1, "agency_b")
    with on(date(2026, 10, 10)):
        answer_survey(pbg, date(2026, 10, 10), 4)
        answer_survey(pbg, date(2026, 10, 10), 3)
    with on(date(2026, 10, 12)):
        a3, a3_clerk = submit(pbg, at_counter=True)
    with on(date(2026, 10, 13)):
        services.application_withdraw(application=fresh(a3), actor=a3_clerk, note="Batal.")
    with on(date(2026, 10, 14)):
        b2, _owner = submit(sip)
    with on(date(2026, 10, 20)):
        complaint_file_anonymous(body="Situs lambat.")
    with on(date(2026, 10, 22)):
        deadlines.deadlines_sweep()
    with on(date(2026, 10, 23)):
        answer_survey(sip, date(2026, 10, 23), 4)
    with on(date(2026, 10, 26)):
        b3, _owner = submit(sip)
    with on(date(2026, 11, 2)):
        books.paid_at_counter(open_bill(a1), on=date(2026, 11, 2), by=books.officer())
    return {"pbg": pbg, "sip": sip, "head": head, "refund": refund,
            **{name: fresh(app) for name, app in
               {"a1": a1, "a2": a2, "a3": a3, "a4": a4, "b0": b0, "b1": b1, "b2": b2,
                "b3": b3}.items()}}

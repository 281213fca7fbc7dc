"""The month's bills as the services would have left them: the walk-in businesses, their
applications approved by the demo's reviewers, and each application's SKRD issued on its day.

The one shortcut: an application does not walk through submission and review (documents,
inboxes, an inspection visit, weeks of clock). It is created by the real service, filed at the
counter by the front office, holds no uploaded documents, and its review is written as done: one
approved task per step and group, decided by the demo reviewer of that group before the bill's
day, and the application in ``awaiting_payment`` since then. From there on every move is the
real one (payment, counter payment, expiry, issue of the permit), so the application follows its
bill.
"""

from dataclasses import asdict
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from demo.people import BAPENDA, DINAS_PUPR, SATPOL_PP
from demo.plan import BUSINESSES, PlannedBill
from licensing import roles
from licensing.models import Application, Business, PermitType, User
from licensing.services import application_create, sequence_next
from licensing.states import ApplicationState
from payments import numbering
from payments.fees import fee_breakdown
from payments.models import Invoice, InvoiceLine
from workflows.checklist import CheckResult, checklist_items
from workflows.models import ReviewTask, TransitionLog
from workflows.states import TaskState

FRONT_OFFICE_EMAIL = "frontoffice@izin.test"
# Who decides each group's step; an inspection is made by a second PUPR officer (four eyes).
REVIEWER_EMAILS = {
    roles.FRONT_OFFICE: "frontoffice@izin.test",
    DINAS_PUPR: "pupr@izin.test",
    BAPENDA: "bapenda@izin.test",
    SATPOL_PP: "satpolpp@izin.test",
    roles.HEAD_OF_OFFICE: "kepala@izin.test",
}
INSPECTOR_EMAIL = "penilik@izin.test"
FINDINGS = "Bangunan/titik sesuai gambar dan rencana tata ruang. (As drawn and as planned.)"


def businesses_ensure(*, registered_by: User) -> tuple[dict[str, Business], int]:
    """The walk-in businesses the month bills, by NIB, and how many were new."""
    rows, new = {}, 0
    for data in BUSINESSES:
        fields = {k: v for k, v in asdict(data).items() if k not in ("nib", "permit_types")}
        fields["kbli_codes"] = list(fields["kbli_codes"])
        business = Business.objects.filter(nib=data.nib).first()
        if business is None:
            business = Business(nib=data.nib, registered_at_counter_by=registered_by, **fields)
            business.full_clean()
            business.save()
            new += 1
        rows[data.nib] = business
    return rows, new


class BillWriter:
    """Writes each planned bill: its application, the approved review, and the SKRD."""

    def __init__(self, *, businesses: dict[str, Business]):
        self._businesses = businesses
        self._front_office = User.objects.get(email=FRONT_OFFICE_EMAIL)
        self._types = {code: PermitType.objects.prefetch_related(
            "fee_rules", "form_fields", "review_steps__groups").get(code=code)
            for code in ("PBG", "REKLAME")}
        emails = [*REVIEWER_EMAILS.values(), INSPECTOR_EMAIL]
        self._people = {user.email: user for user in User.objects.filter(email__in=emails)}
        self._issue_log = ContentType.objects.get_for_model(Invoice)

    def write(self, planned: PlannedBill) -> Invoice:
        permit_type = self._types[planned.code]
        application = application_create(
            business=self._businesses[planned.business.nib], permit_type=permit_type,
            actor=self._front_office, answers=planned.answers)
        steps = list(permit_type.review_steps.all())
        submitted_at = planned.issued_at - timedelta(days=2 * len(steps) + 1)
        self._approve_review(application, steps, submitted_at=submitted_at,
                             approved_at=planned.issued_at)
        Application.objects.filter(pk=application.pk).update(
            state=ApplicationState.AWAITING_PAYMENT, created_at=submitted_at,
            submitted_at=submitted_at, decided_at=planned.issued_at)
        return self._invoice(application, permit_type, planned)

    def _approve_review(self, application, steps, *, submitted_at, approved_at) -> None:
        tasks = []
        for position, step in enumerate(steps, start=1):
            decided_at = submitted_at + (approved_at - submitted_at) * position / len(steps)
            for group in step.groups.all():
                email = INSPECTOR_EMAIL if step.is_inspection else REVIEWER_EMAILS.get(group.name)
                reviewer = self._people.get(email)
                inspection = {}
                if step.is_inspection:
                    inspection = {
                        "inspection_at": decided_at - timedelta(days=1),
                        "checklist_results": {item.key: CheckResult.COMPLIES
                                              for item in checklist_items(step.checklist)},
                        "findings": FINDINGS,
                    }
                tasks.append(ReviewTask(
                    application=application, step=step, group=group, state=TaskState.APPROVED,
                    due_at=decided_at, assignee=reviewer, decided_by=reviewer,
                    decided_at=decided_at, **inspection))
        ReviewTask.objects.bulk_create(tasks)

    def _invoice(self, application: Application, permit_type: PermitType,
                 planned: PlannedBill) -> Invoice:
        """Priced and numbered as ``payments.services.invoice_issue`` does, on the bill's day."""
        day = planned.issued_at.date()
        rules = list(permit_type.fee_rules.all())
        fields = {field.key: field for field in permit_type.form_fields.all()}
        with translation.override("id"):
            indonesian = fee_breakdown(rules=rules, fields=fields, answers=planned.answers,
                                       on=day)
        with translation.override("en"):
            english = fee_breakdown(rules=rules, fields=fields, answers=planned.answers, on=day)
        seq = sequence_next(key=numbering.SEQUENCE_KEY, year=day.year)
        invoice = Invoice.objects.create_with_lines(
            lines=[InvoiceLine(label_id=line_id.label, label_en=line_en.label,
                               basis_id=line_id.basis, basis_en=line_en.basis,
                               account_code=line_id.account_code, amount=line_id.amount)
                   for line_id, line_en in zip(indonesian.lines, english.lines, strict=True)],
            number=numbering.invoice_number(year=day.year, seq=seq),
            billing_code=numbering.billing_code(year=day.year, seq=seq),
            application=application, issued_at=planned.issued_at,
            due_date=day + timedelta(days=permit_type.payment_due_days),
        )
        TransitionLog.objects.create(
            content_type=self._issue_log, object_id=invoice.pk, application=application,
            transition="issue", source="", target=invoice.state)
        return invoice

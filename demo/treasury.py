"""The demo's treasury month: a month of bills, payments, settlements and bank lines, with a few
exceptions of each kind, so the treasury's pages show real work on the first run.

History cannot be lived through again, so what happened before today is written as the services
would have left it (``demo.bills``, ``demo.gateway``); everything after is the
real thing: the settlements are pulled from the sandbox gateway by the real client
(``demo.wire``), the bank statement is imported and the counter payments proposed by
the treasury officer and confirmed by the supervisor (two people: the officer imported the
statement and proposed, so the officer may not confirm), overdue bills expire, flagged
payments get their refund suggestions, reconciliation finds the exceptions, the officer
proposes and resolves a few, and the month's clean first half is closed.

Written once: a database that holds the demo statement has its month already.
"""

from collections.abc import Callable
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from demo import bank, plan
from demo.bills import FRONT_OFFICE_EMAIL, BillWriter, businesses_ensure
from demo.plan import Case, Outcome, PlannedBill
from demo.wire import in_process_session
from licensing.models import Application, User
from payments.gateway.client import GatewayClient
from payments.models import Invoice, Payment, Refund
from payments.money import from_gateway_amount
from payments.services import invoice_expire_overdue, invoice_settle
from payments.states import InvoiceState, RefundReason, RefundState, ReviewReason
from treasury.closing import DayNotClosable, day_close
from treasury.counter import counter_payment_confirm, counter_payment_propose
from treasury.exceptions import exception_propose, exception_resolve
from treasury.ledger import ledger_record_payment
from treasury.matching import reconcile
from treasury.models import BankStatement, Discrepancy, GatewayPayout
from treasury.refunds import refund_prepare, refund_propose, refunds_suggest
from treasury.settlements import settlements_pull
from treasury.statements import statement_import
from treasury.states import DiscrepancyKind, Resolution, StatementFormat
from workflows.calendar import office_calendar

DEMO_STATEMENT = "mutasi-rkud-demo.csv"
OFFICER_EMAIL = "bendahara@izin.test"
SUPERVISOR_EMAIL = "pengawas@izin.test"
# How the gateway's payouts and the bank show the cases (whole rupiah, days).
WRITE_OFF_SHORTFALL = 12_500
OPEN_SHORTFALL = 3_000
GARBLED_LINE_DELAY = 4
UNIDENTIFIED_CREDIT = (7, "SETORAN TUNAI TANPA KODE BAYAR", 1_250_000)
BANK_CHARGE = (2, "BIAYA ADMINISTRASI REKENING", -25_000)
GARBLED_DESCRIPTION = "PEMINDAHBUKUAN DARI GATEWAY PEMBAYARAN"


def seed_treasury(*, today: date | None = None, report) -> None:
    """Write the month before ``today`` (default: today). ``report.count(kind, created)``
    tallies what was made; a database that has the month already gets nothing."""
    if not apps.is_installed("payments.sandbox"):
        return  # the month's settlements live at the sandbox gateway
    if BankStatement.objects.filter(filename=DEMO_STATEMENT).exists():
        return
    Month(today=today or timezone.localdate(), count=report.count).write()


class Month:
    """One run of the month's story, in the order it happened."""

    def __init__(self, *, today: date, count: Callable[[str, bool], None]):
        self.today = today
        self._count = count
        self.officer = User.objects.get(email=OFFICER_EMAIL)
        self.supervisor = User.objects.get(email=SUPERVISOR_EMAIL)
        self.bills: list[tuple[PlannedBill, Invoice]] = []
        # The sandbox's own tables: imported once the sandbox is known to be installed.
        from demo import gateway

        self.gateway = gateway

    def tally(self, kind: str, number: int) -> None:
        for _ in range(number):
            self._count(kind, True)

    def write(self) -> None:
        businesses, new = businesses_ensure(registered_by=User.objects.get(
            email=FRONT_OFFICE_EMAIL))
        self.tally("treasury businesses", new)
        holidays = DaysOff()
        writer = BillWriter(businesses=businesses)
        self.bills = [(planned, writer.write(planned))
                      for planned in plan.month_plan(today=self.today, holidays=holidays)]
        self.tally("bills", len(self.bills))
        payouts = self._payments()
        cases = self._payout_cases(payouts)
        self._settlements_pull()
        statement = self._statement(payouts, cases)
        self._counter_payments(statement)
        self._expire_overdue()
        self._refund_suggestions()
        self._backdate_closing()
        self._reconcile()
        self._officers_at_work(cases)
        self._close_first_half()
        self.tally("refunds", Refund.objects.filter(payment__invoice__in=self._invoices()).count())

    def _invoices(self) -> list[int]:
        return [invoice.pk for _planned, invoice in self.bills]

    # The gateway's side, and Izin's payments.

    def _payments(self):
        attempts = []
        for planned, invoice in self.bills:
            if planned.outcome != Outcome.ONLINE:
                continue
            reason = ""
            if planned.difference:
                reason = ReviewReason.AMOUNT_MISMATCH
            elif planned.case == Case.LATE:
                reason = ReviewReason.BILL_CLOSED  # the bill had expired when the money came
            attempts.append(self.gateway.Attempt(
                invoice=invoice, attempt=1, method=planned.method, paid_at=planned.paid_at,
                received=invoice.total + planned.difference, review_reason=reason,
                held=planned.case == Case.HELD))
            if planned.case == Case.DUPLICATE:
                attempts.append(self.gateway.Attempt(
                    invoice=invoice, attempt=2, method=planned.second_method,
                    paid_at=planned.second_paid_at, received=invoice.total,
                    review_reason=ReviewReason.BILL_CLOSED))
        for attempt in sorted(attempts, key=lambda attempt: attempt.paid_at):
            self._pay(self.gateway.payment_write(attempt))
        self.tally("online payments", len(attempts))
        foreign = plan.foreign_charge(today=self.today)
        self.gateway.foreign_charge_write(amount=foreign.amount, method=foreign.method,
                                          at=foreign.at)
        return self.gateway.payouts_write(first=self.today - timedelta(days=plan.MONTH_DAYS),
                                          last=self.today - timedelta(days=1))

    def _pay(self, payment: Payment) -> None:
        """What ``payment_refresh`` does with a succeeded payment: book it, and settle the bill
        with it unless it is flagged for the treasury (whose suggestion comes later)."""
        ledger_record_payment(payment=payment)
        if not payment.needs_review:
            invoice_settle(invoice=payment.invoice, paid_at=payment.succeeded_at)

    def _payout_cases(self, payouts) -> dict:
        """Four payouts of the month's second half: two that do not add up, one the bank books
        late under a reference without the payout's id, one that never reaches the bank."""
        eligible = [payout for payout in payouts
                    if self.today - timedelta(days=12) <= payout.for_date
                    <= self.today - timedelta(days=5)]
        if len(eligible) < 4:
            raise RuntimeError("The demo month has too few payouts for its cases.")
        cases = dict(zip(("written_off", "garbled", "missing", "short"), eligible, strict=False))
        self.gateway.payout_short(cases["written_off"], by=WRITE_OFF_SHORTFALL)
        self.gateway.payout_short(cases["short"], by=OPEN_SHORTFALL)
        return cases

    def _settlements_pull(self) -> None:
        """The real pull, over the real client, from the sandbox this process serves."""
        client = GatewayClient(base_url=settings.PAYMENT_GATEWAY_URL,
                               secret_key=settings.PAYMENT_GATEWAY_SECRET_KEY,
                               session=in_process_session())
        pulled = settlements_pull(client=client)
        self.tally("gateway payouts", pulled.payouts_added)
        self.tally("gateway transactions", pulled.transactions_added)

    # The bank.

    def _statement(self, payouts, cases: dict) -> BankStatement:
        last = self.today - timedelta(days=1)
        lines = []
        for payout in payouts:
            if payout.id == cases["missing"].id:
                continue  # the payout that never reached the bank
            garbled = payout.id == cases["garbled"].id
            booked_on = payout.arrival_date + timedelta(days=GARBLED_LINE_DELAY if garbled else 1)
            if booked_on > last:
                continue  # on the next statement
            amount = from_gateway_amount(payout.amount)
            lines.append(bank.StatementLine(booked_on, GARBLED_DESCRIPTION, amount) if garbled
                         else bank.payout_line(booked_on=booked_on, payout_id=payout.id,
                                               amount=amount))
        for planned, invoice in self.bills:
            if planned.outcome == Outcome.COUNTER:
                lines.append(bank.counter_line(
                    booked_on=planned.booked_on, billing_code=invoice.billing_code,
                    payer=planned.business.legal_name.upper(), amount=invoice.total))
        for days_ago, description, amount in (UNIDENTIFIED_CREDIT, BANK_CHARGE):
            lines.append(bank.StatementLine(self.today - timedelta(days=days_ago), description,
                                            amount))
        statement = statement_import(data=bank.statement_csv(lines), filename=DEMO_STATEMENT,
                                     fmt=StatementFormat.CSV, user=self.officer)
        self.tally("bank lines", statement.lines_added)
        return statement

    def _counter_payments(self, statement: BankStatement) -> None:
        recorded = 0
        for planned, invoice in self.bills:
            if planned.outcome == Outcome.COUNTER:
                line = statement.lines.get(description__contains=invoice.billing_code)
                proposed = counter_payment_propose(bank_line=line, invoice=invoice,
                                                   actor=self.officer)
                counter_payment_confirm(counter_payment=proposed, actor=self.supervisor)
                recorded += 1
        self.tally("counter payments", recorded)

    # The bills that were not paid, and the payments that were flagged.

    def _expire_overdue(self) -> None:
        """What the beat's run did at the end of each due day, done once now."""
        invoice_expire_overdue(now=plan.moment(self.today, 0, 1))

    def _refund_suggestions(self) -> None:
        """What the task queued for each flagged payment does."""
        flagged = Payment.objects.filter(invoice__in=self._invoices(), needs_review=True)
        for payment in flagged.order_by("succeeded_at"):
            refunds_suggest(payment=payment)

    def _backdate_closing(self) -> None:
        """The services stamp "now" on what closed a bill; the history's own moments instead:
        the payment for a paid bill, the end of the due day for an expired one."""
        ours = Invoice.objects.filter(pk__in=self._invoices())
        ours.filter(state=InvoiceState.PAID).update(closed_at=F("paid_at"))
        for invoice in ours.filter(state=InvoiceState.EXPIRED):
            Invoice.objects.filter(pk=invoice.pk).update(
                closed_at=plan.moment(invoice.due_date + timedelta(days=1), 0))
        paid = Invoice.objects.filter(application=OuterRef("pk"), state=InvoiceState.PAID)
        (Application.objects.filter(invoices__in=ours.filter(state=InvoiceState.PAID))
         .update(paid_at=Subquery(paid.values("paid_at")[:1])))

    # The treasury's own work.

    def _reconcile(self) -> None:
        found = reconcile(today=self.today)
        self.tally("exceptions", sum(found.get(kind, 0) for kind in DiscrepancyKind.values))

    def _officers_at_work(self, cases: dict) -> None:
        """The officer explains the bank's charge, proposes a write-off and a manual match, and
        prepares two refunds: each now waits for the supervisor."""
        open_lines = Discrepancy.objects.filter(kind=DiscrepancyKind.UNMATCHED_BANK_LINE,
                                                bank_line__statement__filename=DEMO_STATEMENT)
        exception_resolve(
            discrepancy=open_lines.get(bank_line__description=BANK_CHARGE[1]),
            actor=self.officer, resolution=Resolution.EXPLAINED,
            note="Biaya administrasi bulanan rekening RKUD dari bank. "
                 "(The bank's monthly account fee.)")
        exception_propose(
            discrepancy=Discrepancy.objects.get(key=f"payout_sum:{cases['written_off'].id}"),
            actor=self.officer, resolution=Resolution.WRITE_OFF,
            note="Selisih penyesuaian gateway di bawah batas materialitas; dihapusbukukan. "
                 "(A gateway adjustment below materiality: written off.)")
        exception_propose(
            discrepancy=open_lines.get(bank_line__description=GARBLED_DESCRIPTION),
            actor=self.officer, resolution=Resolution.MANUAL_MATCH,
            match_payout=GatewayPayout.objects.get(payout_id=cases["garbled"].id),
            note="Transfer gateway dibukukan bank 4 hari kemudian tanpa nomor payout; nominal "
                 "sama persis. (Booked four days late without the payout id; same amount.)")
        duplicate = Refund.objects.get(payment__invoice__in=self._invoices(),
                                       reason=RefundReason.DUPLICATE, state=RefundState.DRAFT)
        refund_prepare(refund=duplicate, actor=self.officer, amount=duplicate.amount,
                       note="Pembayaran kedua atas SKRD yang sama dikembalikan penuh. "
                            "(The second payment of the bill goes back in full.)")
        payment = (Payment.objects.filter(invoice__in=self._invoices(), needs_review=False,
                                          method="card", invoice__application__permit_type__code=
                                          "REKLAME")
                   .order_by("-succeeded_at").first())
        refund_propose(payment=payment, amount=payment.amount_received // 2,
                       reason=RefundReason.OTHER, actor=self.officer,
                       note="Masa pemasangan reklame dipersingkat atas permohonan wajib "
                            "retribusi. (The display period was shortened at the payer's "
                            "request.)")

    def _close_first_half(self) -> None:
        """Day by day, oldest first, as the treasury closes them; a database with exceptions
        of its own in those days (a demo used before the month was added) keeps them open."""
        day = self.today - timedelta(days=plan.MONTH_DAYS)
        closed = 0
        while day <= self.today - timedelta(days=plan.CLOSED_FROM_DAYS_AGO):
            try:
                day_close(day=day, actor=self.officer)
            except DayNotClosable:
                break
            day += timedelta(days=1)
            closed += 1
        self.tally("closed days", closed)


class DaysOff:
    """``day in DaysOff()``: the office's calendar as the set of days it does not work."""

    def __init__(self):
        self.calendar = office_calendar()

    def __contains__(self, day) -> bool:
        return not self.calendar.is_working_day(day)

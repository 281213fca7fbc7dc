"""The SKRD: issued when an application enters awaiting payment (before review or after
approval), numbered without gaps, immutable once issued, paid through ``invoice_settle``."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from licensing import services
from licensing.formats import rupiah
from licensing.models import Application
from licensing.states import ApplicationState as A
from payments import services as payments
from payments.models import FeeRule, Invoice, InvoiceImmutable, InvoiceLine
from payments.numbering import billing_code_is_valid
from payments.states import InvoiceState as I
from tests.factories import FeeRuleFactory, FormFieldFactory, PermitTypeFactory, UserFactory
from tests.lifecycle import complete, draft, submitted
from tests.payments.support import ANSWERS, TOTAL, approve_all, awaiting_payment, building_type
from workflows.machine import TransitionRefused
from workflows.models import TransitionLog
from workflows.selectors import application_timeline_for_user

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def test_approval_of_a_type_paid_after_approval_issues_one_bill():
    permit_type = building_type(steps=["agency_a"], payment_due_days=30)
    application, owner = draft(permit_type=permit_type, answers=dict(ANSWERS))
    complete(application, owner)
    application = services.application_submit(application=application, actor=owner)
    assert application.state == A.IN_REVIEW
    assert not Invoice.objects.exists()  # nothing is billed before approval

    application = approve_all(application)

    assert application.state == A.AWAITING_PAYMENT
    invoice = Invoice.objects.get()
    assert invoice.application == application
    assert invoice.state == I.ISSUED
    assert invoice.number == f"SKRD/{YEAR}/000001"
    assert billing_code_is_valid(invoice.billing_code)
    assert invoice.billing_code.startswith(str(YEAR))
    assert invoice.total == TOTAL
    assert invoice.due_date == timezone.localdate() + timedelta(days=30)
    line = invoice.lines.get()
    assert (line.label_id, line.label_en) == ("Retribusi PBG", "Building approval levy")
    assert (line.account_code, line.amount) == ("4.1.02.03.01.0001", TOTAL)
    assert line.basis_en == "120.5 m² × Rp 10.000 × index 1.5 (Business)"
    assert line.basis_id == "120,5 m² × Rp 10.000 × indeks 1,5 (Usaha)"
    with translation.override("en"):
        assert (line.label, line.basis) == ("Building approval levy", line.basis_en)


def test_submitting_a_type_paid_before_review_issues_the_bill_at_once():
    permit_type = building_type(paid_after_approval=False, paid_before_review=True,
                                steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type, answers=dict(ANSWERS))
    assert application.state == A.AWAITING_PAYMENT
    invoice = Invoice.objects.get(application=application)
    assert invoice.total == TOTAL
    # Seven calendar days is the default time to pay.
    assert invoice.due_date == timezone.localdate() + timedelta(days=7)


def test_free_types_are_never_billed():
    permit_type = PermitTypeFactory(steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type)
    approve_all(application)
    assert not Invoice.objects.exists()


def test_issuing_is_audited_with_the_application():
    application, _owner, invoice = awaiting_payment()
    entry = TransitionLog.objects.get(content_type=ContentType.objects.get_for_model(Invoice),
                                      object_id=invoice.pk)
    assert (entry.transition, entry.target, entry.application) == ("issue", I.ISSUED,
                                                                   application)


def test_issuing_again_returns_the_open_bill():
    application, _owner, invoice = awaiting_payment()
    assert payments.invoice_issue(application=application) == invoice
    assert Invoice.objects.count() == 1


def test_a_bill_is_issued_only_when_payment_is_due():
    permit_type = building_type(steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type, answers=dict(ANSWERS))
    with pytest.raises(TransitionRefused) as refused:
        payments.invoice_issue(application=application)
    assert refused.value.code == "not_allowed"
    assert not Invoice.objects.exists()


def test_the_database_holds_at_most_one_open_bill_per_application():
    _application, _owner, invoice = awaiting_payment()
    line = InvoiceLine(label_id="x", label_en="x", account_code="4.1.02.03.01.0001", amount=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create_with_lines(
            lines=[line], number="SKRD/1999/000001", billing_code="1999000000000011",
            application=invoice.application, issued_at=timezone.now(),
            due_date=date(1999, 1, 8),
        )


def test_numbers_are_gap_free_even_when_a_bill_cannot_be_priced():
    permit_type = building_type(paid_after_approval=False, paid_before_review=True)
    FormFieldFactory(permit_type=permit_type, key="signs", kind="number", required=False,
                     label_en="Signs")
    FeeRuleFactory(permit_type=permit_type, kind="per_unit", amount=None, rate=1_000,
                   field_key="signs", position=2, label_en="Signs levy")
    first, _ = submitted(permit_type=permit_type, answers={**ANSWERS, "signs": 2})
    unpriced, owner = draft(permit_type=permit_type, answers=dict(ANSWERS))
    complete(unpriced, owner)
    with pytest.raises(TransitionRefused) as refused, translation.override("en"):
        services.application_submit(application=unpriced, actor=owner)
    assert refused.value.code == "fee_not_computable"
    assert refused.value.message == "Answer “Signs” to calculate the fee."
    assert Application.objects.get(pk=unpriced.pk).state == A.DRAFT  # nothing half-done
    second, _ = submitted(permit_type=permit_type, answers={**ANSWERS, "signs": 1})
    assert [i.number for i in Invoice.objects.order_by("pk")] == [
        f"SKRD/{YEAR}/000001", f"SKRD/{YEAR}/000002"]
    assert Invoice.objects.get(application=first).total == TOTAL + 2_000
    assert Invoice.objects.get(application=second).total == TOTAL + 1_000


def test_a_paid_type_without_a_tariff_is_refused_with_a_message():
    permit_type = PermitTypeFactory(paid_before_review=True, fee_rules=[])
    application, owner = draft(permit_type=permit_type)
    with pytest.raises(TransitionRefused) as refused:
        services.application_submit(application=application, actor=owner)
    assert refused.value.code == "fee_not_computable"
    assert not Invoice.objects.exists()


def test_a_new_tariff_never_changes_a_bill_already_issued():
    _application, _owner, invoice = awaiting_payment()
    FeeRule.objects.update(rate=99_999)
    FeeRuleFactory(permit_type=invoice.application.permit_type, amount=5_000_000,
                   label_id="Tambahan")
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.total == TOTAL
    assert invoice.lines.count() == 1


# Immutability.


@pytest.mark.parametrize(("field", "value"), [
    ("number", "SKRD/2026/999999"), ("billing_code", "2026000000009999"),
    ("due_date", date(2099, 1, 1)), ("issued_at", timezone.now() - timedelta(days=3)),
])
def test_an_issued_bill_cannot_be_changed(field, value):
    _application, _owner, invoice = awaiting_payment()
    setattr(invoice, field, value)
    with pytest.raises(InvoiceImmutable):
        invoice.save()
    with pytest.raises(InvoiceImmutable):
        Invoice.objects.filter(pk=invoice.pk).update(**{field: value})
    fresh = Invoice.objects.get(pk=invoice.pk)
    assert getattr(fresh, field) != value


def test_the_lines_of_an_issued_bill_cannot_be_changed_added_or_removed():
    _application, _owner, invoice = awaiting_payment()
    line = invoice.lines.get()
    line.amount = 1
    with pytest.raises(InvoiceImmutable):
        line.save()
    with pytest.raises(InvoiceImmutable):
        InvoiceLine.objects.filter(pk=line.pk).update(amount=1)
    with pytest.raises(InvoiceImmutable):
        InvoiceLine.objects.bulk_create([InvoiceLine(
            invoice=invoice, position=2, label_id="Denda", label_en="Fine",
            account_code="4.1.02.03.01.0001", amount=50_000)])
    with pytest.raises(InvoiceImmutable):
        line.delete()
    with pytest.raises(InvoiceImmutable):
        invoice.lines.all().delete()
    with pytest.raises(InvoiceImmutable):
        invoice.delete()
    assert Invoice.objects.get(pk=invoice.pk).total == TOTAL


# Paying.


def test_settling_pays_the_bill_and_moves_the_application_on(django_capture_on_commit_callbacks):
    application, _owner, invoice = awaiting_payment()
    paid_at = timezone.now() - timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        invoice = payments.invoice_settle(invoice=invoice, paid_at=paid_at)
    assert (invoice.state, invoice.paid_at) == (I.PAID, paid_at)
    application.refresh_from_db()
    assert application.state == A.ISSUED  # approved and paid: the permit is issued after commit
    assert payments.invoice_settle(invoice=invoice, paid_at=timezone.now()).paid_at == paid_at
    assert TransitionLog.objects.filter(object_id=invoice.pk, transition="settle",
                                        application=application).count() == 1


def test_settling_before_review_starts_the_review():
    permit_type = building_type(paid_after_approval=False, paid_before_review=True,
                                steps=["agency_a"])
    application, _owner = submitted(permit_type=permit_type, answers=dict(ANSWERS))
    payments.invoice_settle(invoice=application.invoices.get(), paid_at=timezone.now())
    assert Application.objects.get(pk=application.pk).state == A.IN_REVIEW


def test_withdrawing_while_awaiting_payment_cancels_the_bill():
    application, owner, invoice = awaiting_payment()
    services.application_withdraw(application=application, actor=owner)
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.state == I.CANCELLED and invoice.closed_at is not None
    with pytest.raises(TransitionRefused):
        payments.invoice_settle(invoice=invoice, paid_at=timezone.now())
    assert Application.objects.get(pk=application.pk).state == A.WITHDRAWN


def test_the_states_of_a_bill_are_protected():
    _application, _owner, invoice = awaiting_payment()
    with pytest.raises(AttributeError):
        invoice.state = I.PAID


def test_the_applicants_timeline_names_the_bill():
    application, owner, invoice = awaiting_payment()
    with translation.override("en"):
        labels = [entry.label for entry in
                  application_timeline_for_user(application=application, user=owner)]
        bill = f"Bill issued: {rupiah(TOTAL)} ({invoice.number})"
    assert bill in labels
    assert labels.index("Approved") < labels.index(bill)


def test_the_offices_timeline_names_the_bill_by_its_state():
    application, _owner, invoice = awaiting_payment()
    with translation.override("en"):
        labels = [entry.label for entry in application_timeline_for_user(
            application=application, user=UserFactory(groups=["front_office"]))]
    assert f"Bill {invoice.number}: issued" in labels
    assert labels.index("Awaiting payment") < labels.index(f"Bill {invoice.number}: issued")


"""A building-approval-like permit type with a tariff, and ways to reach a bill with it."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from licensing import services
from licensing.models import Application
from payments.models import Invoice
from payments.states import InvoiceState
from tests.factories import FeeRuleFactory, FormFieldFactory, PermitTypeFactory, UserFactory
from tests.lifecycle import complete, draft
from workflows import services as review
from workflows.models import ReviewTask

FUNCTIONS = [{"value": "hunian", "label_id": "Hunian", "label_en": "Residential"},
             {"value": "usaha", "label_id": "Usaha", "label_en": "Business"}]
ANSWERS = {"floor_area": 120.5, "building_function": "usaha"}
# 120,5 m² × Rp 10.000 × 1,5
TOTAL = 1_807_500


def building_type(**kwargs):
    """Floor area × Rp 10.000 × building-function index; paid after approval by default."""
    kwargs.setdefault("paid_after_approval", True)
    permit_type = PermitTypeFactory(fee_rules=[], **kwargs)
    FormFieldFactory(permit_type=permit_type, key="floor_area", kind="number", unit="m²",
                     label_id="Luas lantai", label_en="Floor area")
    FormFieldFactory(permit_type=permit_type, key="building_function", kind="choice",
                     label_id="Fungsi bangunan", label_en="Building function",
                     choices=FUNCTIONS)
    FeeRuleFactory(permit_type=permit_type, kind="per_unit", amount=None, rate=10_000,
                   label_id="Retribusi PBG", label_en="Building approval levy",
                   field_key="floor_area", index_field_key="building_function",
                   index_table={"hunian": "1.00", "usaha": "1.50"})
    return permit_type


def approve_all(application: Application) -> Application:
    while task := ReviewTask.objects.filter(application=application, state="open").first():
        review.task_decide(task=task, actor=UserFactory(groups=[task.group.name]),
                           decision="approve")
    return Application.objects.get(pk=application.pk)


def awaiting_payment(permit_type=None, *, answers=None, **kwargs):
    """An application billed after approval: (application, owner, its open invoice)."""
    permit_type = permit_type or building_type(steps=["agency_a"])
    application, owner = draft(permit_type=permit_type, answers=answers or dict(ANSWERS),
                               **kwargs)
    complete(application, owner)
    application = services.application_submit(application=application, actor=owner)
    application = approve_all(application)
    return application, owner, Invoice.objects.get(application=application,
                                                   state=InvoiceState.ISSUED)


def make_overdue(invoice: Invoice, days: int = 1) -> None:
    """Test set-up only: put a bill's due date ``days`` before today without walking the
    calendar (the model refuses the change, as it should; raw SQL stands for time passing)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE payments_invoice SET due_date = %s WHERE id = %s",
                       [timezone.localdate() - timedelta(days=days), invoice.pk])

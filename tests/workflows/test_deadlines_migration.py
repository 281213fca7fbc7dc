"""Deadlines arrive on a running office: the migration turns due dates into due times, puts
open tasks on escalation, and gives applications already in review a clock from the day it
runs (never an approval by law for time spent before the rule)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.migrating import migrate, migrate_to_latest

BEFORE = [("workflows", "0001_initial"), ("licensing", "0001_initial")]
AFTER = [("workflows", "0003_deadlines"), ("licensing", "0003_permit_expiry_notice")]



@pytest.mark.django_db(transaction=True)
def test_work_under_way_gets_due_times_and_a_clock_from_now():
    old = migrate(BEFORE)
    try:
        user = old.get_model("licensing", "User").objects.create(email="a@example.id",
                                                                  full_name="A")
        business = old.get_model("licensing", "Business").objects.create(
            legal_name="CV A", nib="1234567890123", npwp="123456789012345",
            street_address="Jl. A", kecamatan="sail", kelurahan="Cinta Raja")
        permit_type = old.get_model("licensing", "PermitType").objects.create(
            code="OLD", name_id="Lama", name_en="Old", risk_level="high")
        application = old.get_model("licensing", "Application").objects.create(
            reference="OLD-1", business=business, permit_type=permit_type, state="in_review",
            created_by=user)
        group = old.get_model("auth", "Group").objects.create(name="agency_old")
        step = old.get_model("workflows", "ReviewStep").objects.create(
            permit_type=permit_type, position=1, name_id="L", name_en="S", sla_working_days=3)
        due = date(2026, 11, 30)
        old.get_model("workflows", "ReviewTask").objects.create(
            application=application, step=step, group=group, due_date=due)

        new = migrate(AFTER)
        task = new.get_model("workflows", "ReviewTask").objects.get()
        closing = timezone.make_aware(datetime.combine(due, time(16, 0)))
        assert task.due_at == closing and task.next_alert_at == closing
        clock = new.get_model("workflows", "ApplicationClock").objects.get()
        assert clock.standard_days == 10
        assert timezone.now() - clock.started_at < timedelta(minutes=5)
        assert clock.decision_due_at > timezone.now() + timedelta(days=10)
    finally:
        migrate_to_latest()

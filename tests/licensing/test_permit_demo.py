"""The demo data includes issued permits in every register state, made once."""

from io import StringIO

import pytest
from django.core.management import call_command

from demo.people import BUSINESS
from licensing.models import Permit, PermitState
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def test_the_demo_business_holds_signed_permits_in_every_state():
    seed()
    permits = Permit.objects.filter(holder__nib=BUSINESS["nib"])
    assert {p.state for p in permits} == set(PermitState.values)
    assert all(p.is_stored and p.sha256 for p in permits)
    superseded = permits.get(state=PermitState.SUPERSEDED)
    assert superseded.superseded_by.state == PermitState.ACTIVE
    for state in (PermitState.SUSPENDED, PermitState.REVOKED):
        assert permits.get(state=state).state_reason
    assert TransitionLog.objects.filter(content_type__model="permit").count() == 4


def test_a_second_run_issues_nothing_and_moves_nothing():
    seed()
    before = (list(Permit.objects.values_list("number", "state", "sha256")),
              TransitionLog.objects.count())
    assert "nothing new" in seed()
    assert (list(Permit.objects.values_list("number", "state", "sha256")),
            TransitionLog.objects.count()) == before

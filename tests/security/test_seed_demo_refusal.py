"""`manage.py seed_demo` never writes into a database that holds anyone's real data: any account
outside the demo's @izin.test domain makes it refuse, --force or not."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demo.loader import non_demo_accounts
from licensing.models import Business, PermitType, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_database_with_a_real_account_is_refused_and_left_alone():
    UserFactory(email="kepala.dinas@pekanbaru.go.id", is_superuser=True)
    with pytest.raises(CommandError, match=r"1 account.*outside the demo.s @izin\.test domain"):
        call_command("seed_demo", force=True, permits=False, stdout=StringIO())
    assert not PermitType.objects.exists()
    assert not Business.objects.exists()
    assert list(User.objects.values_list("email", flat=True)) == ["kepala.dinas@pekanbaru.go.id"]


def test_debug_on_does_not_change_that(settings):
    settings.DEBUG = True
    UserFactory(email="pemohon@gmail.com")
    with pytest.raises(CommandError, match="not a demo database"):
        call_command("seed_demo", permits=False, stdout=StringIO())


def test_an_empty_database_and_the_demos_own_are_seeded():
    call_command("seed_demo", force=True, permits=False, stdout=StringIO())
    assert non_demo_accounts() == 0
    # A second run finds only its own accounts (the domain compared case-blind).
    User.objects.filter(email="admin@izin.test").update(email="Admin@IZIN.test")
    call_command("seed_demo", force=True, permits=False, stdout=StringIO())
    assert PermitType.objects.exists()


def test_the_help_states_the_rule():
    from demo.management.commands.seed_demo import Command

    assert "any account whose e-mail does not end in @izin.test" in Command.help
    assert "--force does not change that" in Command.help

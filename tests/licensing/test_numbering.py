"""Reference numbers: human, unique and gap-free per type and year, also under concurrency."""

import re
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from licensing import services
from licensing.models import Application, Sequence
from tests.factories import BusinessFactory, PermitTypeFactory, UserFactory


@pytest.mark.django_db
def test_reference_has_type_code_year_and_six_digits():
    permit_type = PermitTypeFactory(code="PBG")
    owner = UserFactory()
    business = BusinessFactory(owner=owner)
    first = services.application_create(business=business, permit_type=permit_type, actor=owner)
    second = services.application_create(business=business, permit_type=permit_type, actor=owner)
    year = timezone.localdate().year
    assert first.reference == f"PBG-{year}-000001"
    assert second.reference == f"PBG-{year}-000002"
    assert re.fullmatch(r"PBG-\d{4}-\d{6}", first.reference)


@pytest.mark.django_db
def test_each_type_counts_on_its_own():
    owner = UserFactory()
    business = BusinessFactory(owner=owner)
    a = services.application_create(business=business, permit_type=PermitTypeFactory(code="AAA"),
                                    actor=owner)
    b = services.application_create(business=business, permit_type=PermitTypeFactory(code="BBB"),
                                    actor=owner)
    assert a.reference.endswith("-000001")
    assert b.reference.endswith("-000001")


@pytest.mark.django_db
def test_a_rolled_back_caller_gives_its_number_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        services.sequence_next(key="demo", year=2026)
        raise RuntimeError("the caller failed after taking a number")
    assert services.sequence_next(key="demo", year=2026) == 1


@pytest.mark.django_db
def test_stale_copies_cannot_both_move_the_state():
    """Optimistic concurrency: the second of two stale copies to save is refused."""
    owner = UserFactory()
    application = services.application_create(
        business=BusinessFactory(owner=owner), permit_type=PermitTypeFactory(), actor=owner
    )
    first = Application.objects.get(pk=application.pk)
    second = Application.objects.get(pk=application.pk)
    first.withdraw()
    first.save()
    second.withdraw()
    with pytest.raises(ConcurrentTransition):
        second.save()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_applications_get_distinct_gap_free_references():
    permit_type = PermitTypeFactory(code="RKL")
    owner = UserFactory()
    business = BusinessFactory(owner=owner)
    workers = 12
    barrier = threading.Barrier(workers)
    references, errors = [], []

    def apply():
        try:
            barrier.wait()
            application = services.application_create(
                business=business, permit_type=permit_type, actor=owner
            )
            references.append(application.reference)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(int(reference.rsplit("-", 1)[1]) for reference in references)
    assert numbers == list(range(1, workers + 1))
    assert Sequence.objects.get(key="application:RKL").last_value == workers

import threading

import pytest
from django.db import connection

from licensing import services
from licensing.models import Business, NibClaim
from tests.factories import UserFactory

FIELDS = {
    "legal_name": "PT Sagu Riau",
    "nib": "9120009876543",
    "npwp": "012345678912000",
    "street_address": "Jl. Riau No. 5",
    "kecamatan": "senapelan",
    "kelurahan": "Kampung Bandar",
    "kbli_codes": ["10799"],
}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_nib_registered_twice_at_once_gives_one_business_one_owner_and_a_claim():
    people = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(len(people))
    results, errors = [], []

    def register(person):
        try:
            barrier.wait()
            results.append(services.business_register(actor=person, **FIELDS))
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    business = Business.objects.get(nib=FIELDS["nib"])
    # The one who lost the race owns nothing: their registration is a claim the office checks.
    assert sorted(type(result).__name__ for result in results) == ["Business", "NibClaim"]
    assert business.memberships.count() == 1
    claim = NibClaim.objects.get()
    assert claim.business == business
    assert claim.claimant != business.memberships.get().user

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from licensing import services
from licensing.models import Business
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
def test_one_nib_registered_twice_at_once_gives_one_business_and_a_clear_error():
    people = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(len(people))
    refusals, errors = [], []

    def register(person):
        try:
            barrier.wait()
            services.business_register(actor=person, **FIELDS)
        except ValidationError as refusal:
            refusals.append(refusal.message_dict)
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
    assert Business.objects.filter(nib=FIELDS["nib"]).count() == 1
    assert len(refusals) == 1
    assert "nib" in refusals[0]

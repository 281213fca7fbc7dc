import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from licensing import roles
from licensing.models import Application
from licensing.states import ApplicationState as S
from tests.factories import BusinessFactory, PermitTypeFactory, RequiredDocumentFactory, UserFactory
from tests.lifecycle import draft, pdf_bytes
from tests.portal import in_english, post
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    in_english(client)


@pytest.fixture
def clerk(client):
    user = UserFactory(groups=[roles.FRONT_OFFICE])
    client.force_login(user)
    return user


def test_only_front_office_staff_use_the_counter(client):
    client.force_login(UserFactory())
    assert client.get(reverse("counter_intake")).status_code == 403


def test_find_a_business_by_nib_as_written(client, clerk):
    business = BusinessFactory(nib="9120001234567", owner=UserFactory())
    page = client.get(reverse("counter_intake"), {"nib": "9120.0012.34567"}).content.decode()
    assert business.legal_name in page
    page = client.get(reverse("counter_intake"), {"nib": "9999999999999"}).content.decode()
    assert "No business with NIB 9999999999999 is registered." in page
    page = client.get(reverse("counter_intake"), {"nib": "123"}).content.decode()
    assert "NIB must be exactly 13 digits." in page


def test_file_an_application_for_a_walk_in_business(client, clerk):
    owner = UserFactory()
    business = BusinessFactory(owner=owner)
    permit_type = PermitTypeFactory()
    requirement = RequiredDocumentFactory(permit_type=permit_type)
    data = {"business": business.pk, "permit_type": permit_type.pk}
    first = post(client, reverse("counter_intake"), data, token="counter-1")
    second = post(client, reverse("counter_intake"), data, token="counter-1")
    application = Application.objects.get()
    assert first["Location"] == second["Location"] == reverse("application_edit",
                                                              args=[application.pk])
    assert application.filed_at_counter
    assert application.created_by == clerk
    assert application.business == business

    # The clerk completes and submits it; the record keeps who did.
    post(client, reverse("attachment_upload", args=[application.pk, requirement.pk]),
         {"file": SimpleUploadedFile("ktp.pdf", pdf_bytes())})
    post(client, reverse("application_submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == S.APPROVED
    assert TransitionLog.objects.get(application=application, transition="submit").actor == clerk
    page = client.get(reverse("counter_intake")).content.decode()
    assert application.reference in page and clerk.full_name in page

    # The business sees it too, marked as filed at the counter.
    client.force_login(owner)
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "Filed at the counter by" in page and clerk.full_name in page


def test_front_office_sees_only_what_was_filed_at_the_counter(client, clerk):
    application, _owner = draft(permit_type=PermitTypeFactory())
    assert client.get(reverse("application_detail", args=[application.pk])).status_code == 404
    assert application.reference not in client.get(reverse("counter_intake")).content.decode()

"""No public page shows personal data: no e-mail address, phone number, NPWP or person's name
(the business's owner, its person responsible, a reviewer, the signing official), no address
and no survey comment — though the data behind every page holds them all. The register shows a
business by its legal name and district; its NIB only on the verification page the QR code
opens."""

import pytest
import time_machine
from django.urls import reverse

from evaluation.models import SurveyResponse
from notifications.models import Preference
from tests.documents.permits import issued
from tests.evaluation.public_support import answers, application, clock, wib
from tests.factories import BusinessFactory, ReviewUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

OWNER_EMAIL = "pemilik.rahasia@contoh-pribadi.id"
OWNER_NAME = "Siti Rahasiawati Kusumadewi"
STAFF_EMAIL = "staf.rahasia@contoh-pribadi.id"
PHONE = "+6281299887766"
NPWP = "019876543210987"
RESPONSIBLE = "Bambang Tersembunyi Wibisono"
STREET = "Jl. Sangat Rahasia No. 99"
SUPERVISOR = "Dewi Penyelia Anonimawati"
COMMENT = "Petugasnya bernama Pak Joko Rahasia"


@pytest.fixture
def permit(django_capture_on_commit_callbacks):
    with time_machine.travel(wib(2026, 11, 10, 10), tick=False):
        owner = UserFactory(email=OWNER_EMAIL, full_name=OWNER_NAME)
        Preference.objects.create(user=owner, phone=PHONE, sms=True)
        business = BusinessFactory(owner=owner, npwp=NPWP, responsible_person_name=RESPONSIBLE,
                                   street_address=STREET, legal_name="PT Terbuka Jaya")
        staff = UserFactory(email=STAFF_EMAIL)
        business.memberships.create(user=staff, role="staff")
        ReviewUnitFactory(group__name="agency_a", name_id="Dinas Uji Publik",
                          supervisor=UserFactory(full_name=SUPERVISOR))
        permit = issued(django_capture_on_commit_callbacks, owner=owner, business=business)
        # Enough of the same type for every figure to be shown, so nothing hides by omission.
        for _ in range(5):
            made = application(permit.permit_type, submitted=wib(2026, 11, 2, 9),
                               decided=wib(2026, 11, 5, 9), issued=wib(2026, 11, 6, 9))
            clock(made, stopped=wib(2026, 11, 5, 9), used=3, standard=10)
        answers(permit.permit_type, on=wib(2026, 11, 9).date(), score=4, times=5)
        SurveyResponse.objects.filter(pk=SurveyResponse.objects.first().pk).update(
            comment=COMMENT)
    return permit


def public_pages(client, permit) -> dict[str, str]:
    pages = {
        "standards": reverse("public:standard_list"),
        "standard": reverse("public:standard_detail", args=[permit.permit_type.code]),
        "statistics": reverse("public:statistics"),
        "register": reverse("public:register"),
        "register by name": reverse("public:register") + "?name=PT+Terbuka",
        "register by number": reverse("public:register") + f"?number={permit.number}",
    }
    html = {}
    with time_machine.travel(wib(2026, 11, 18, 10), tick=False):
        for name, url in pages.items():
            response = client.get(url)
            assert response.status_code == 200, name
            html[name] = response.content.decode()
    return html


def test_no_public_page_shows_personal_data(client, permit):
    signer = permit.signer.name
    pages = public_pages(client, permit)
    # The pages do show what they are for.
    assert permit.number in pages["register by name"]
    assert "PT Terbuka Jaya" in pages["register by number"]
    assert "100,00" in pages["statistics"]  # the index of five answers of 4, one with the comment
    for name, html in pages.items():
        for secret in (OWNER_EMAIL, STAFF_EMAIL, OWNER_NAME, PHONE, PHONE[3:], NPWP,
                       RESPONSIBLE, STREET, SUPERVISOR, COMMENT, signer):
            assert secret not in html, (name, secret)
        assert "@contoh-pribadi.id" not in html, name
    for name in ("register", "register by name", "register by number"):
        assert permit.holder.nib not in pages[name]


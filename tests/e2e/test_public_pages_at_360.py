"""The three public pages on a 360-pixel phone, in a real browser: nothing scrolls sideways,
whatever the names on them, and their tables become cards."""

import pytest
import time_machine
from django.urls import reverse

from tests.evaluation.public_support import answers, application, bulk_permits, clock, wib
from tests.factories import PermitTypeFactory, RequiredDocumentFactory, ReviewUnitFactory

PHONE = {"viewport": {"width": 360, "height": 740}}
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
LEGAL_NAME = ("PT Pembangunan Perumahan dan Pengembangan Kawasan Industri Terpadu Pekanbaru "
              "Sejahtera-Abadi-Makmur-Sentosa Tbk")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_public_pages_fit_a_phone(open_page):
    ReviewUnitFactory(group__name="dinas_pupr",
                      name_id="Dinas Pekerjaan Umum dan Penataan Ruang Kota Pekanbaru")
    permit_type = PermitTypeFactory(
        code="PBGKOMERSIAL", paid_after_approval=True, steps=["dinas_pupr"],
        name_id="Persetujuan Bangunan Gedung untuk Bangunan Komersial Bertingkat Tinggi")
    RequiredDocumentFactory(permit_type=permit_type,
                            name_id="Gambar arsitektur (denah, tampak, potongan) yang "
                                    "ditandatangani arsitek berlisensi")
    with time_machine.travel(wib(2026, 11, 18, 10), tick=False):
        bulk_permits(30, permit_type=permit_type, name=LEGAL_NAME)
        for used in (3, 5, 7, 9, 11):
            clock(application(permit_type, submitted=wib(2026, 11, 2, 9),
                              decided=wib(2026, 11, 9, 9), issued=wib(2026, 11, 10, 9)),
                  stopped=wib(2026, 11, 9, 9), used=used, standard=10)
        answers(permit_type, on=wib(2026, 11, 10).date(), score=3, times=5)
    page = open_page(**PHONE)
    for url in (reverse("public:standard_list"),
                reverse("public:standard_detail", args=[permit_type.code]),
                reverse("public:statistics"),
                reverse("public:register"),
                reverse("public:register") + "?number=" + "X" * 101):
        page.goto(url)
        assert page.evaluate(SIDEWAYS) == 0, url

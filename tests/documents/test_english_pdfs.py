"""The documents' English lines are English: units, dates, choices and the letterhead on the
permit; the SKRD names its lines as the regional levy they are, with English units."""

import re

import pytest
from django.utils import translation

from documents import rendering
from documents.context import invoice_context, permit_content
from licensing.models import Permit
from tests.documents.pdf_tools import pdf_text
from tests.factories import FormFieldFactory, PermitTypeFactory
from tests.lifecycle import submitted
from tests.payments.support import awaiting_payment

pytestmark = pytest.mark.django_db

LEVY_ID = "Retribusi Pemakaian Kekayaan Daerah (titik reklame)"
LEVY_EN = "Regional levy for the use of city property (billboard site)"


def one_line(text: str) -> str:
    return " ".join(text.split())


def issued_with_answers(django_capture_on_commit_callbacks, answers: dict) -> Permit:
    permit_type = PermitTypeFactory(risk_level="low", validity_months=12)
    FormFieldFactory(permit_type=permit_type, key="floors", label_id="Jumlah lantai",
                     label_en="Number of floors", kind="number", unit="lantai",
                     unit_en="floors", required=False)
    FormFieldFactory(permit_type=permit_type, key="area", label_id="Luas lantai",
                     label_en="Floor area", kind="number", unit="m²")
    FormFieldFactory(permit_type=permit_type, key="opening", label_id="Tanggal buka",
                     label_en="Opening date", kind="date", required=False)
    FormFieldFactory(permit_type=permit_type, key="use", label_id="Penggunaan",
                     label_en="Use", kind="choice", required=False,
                     choices=[{"value": "shop", "label_id": "Toko", "label_en": "Shop"}])
    FormFieldFactory(permit_type=permit_type, key="activity", label_en="Activity", kind="text")
    with django_capture_on_commit_callbacks(execute=True):
        application, _owner = submitted(permit_type=permit_type, answers=answers)
    return Permit.objects.get(application=application)


def test_the_permit_s_english_lines_carry_english_units_dates_and_choices(
        django_capture_on_commit_callbacks, tmp_path):
    permit = issued_with_answers(django_capture_on_commit_callbacks, {
        "floors": 3, "area": 1250.5, "opening": "2026-08-17", "use": "shop",
        "activity": "Rumah makan"})
    rows = {row["label_en"]: row for row in permit_content(permit)["activity"]}
    assert (rows["Number of floors"]["value"], rows["Number of floors"]["value_en"]) == (
        "3 lantai", "3 floors")
    assert (rows["Floor area"]["value"], rows["Floor area"]["value_en"]) == (
        "1250,5 m²", "1250.5 m²")
    assert (rows["Opening date"]["value"], rows["Opening date"]["value_en"]) == (
        "17 Agustus 2026", "17 August 2026")
    assert (rows["Use"]["value"], rows["Use"]["value_en"]) == ("Toko", "Shop")
    assert "value_en" not in rows["Activity"]  # typed by the business: one text for both

    # The stored, signed permit as a reader sees it.
    with permit.file.open("rb") as stored:
        text = one_line(pdf_text(tmp_path, stored.read()))
    for shown in ("3 lantai", "3 floors", "17 Agustus 2026", "17 August 2026", "Toko", "Shop",
                  "1250,5 m²", "1250.5 m²", "City Government of Pekanbaru",
                  "Investment and One-Stop Integrated Services Office"):
        assert shown in text
    assert permit.template_version == rendering.PERMIT_TEMPLATE_VERSION == "permit-2"


def test_answers_that_read_alike_leave_the_permit_s_content_as_it_was(
        django_capture_on_commit_callbacks):
    """The QR carries a digest of this content: a permit whose answers are the same in both
    languages gets no new keys, so its digest is what it always was."""
    permit = issued_with_answers(django_capture_on_commit_callbacks,
                                 {"area": 120, "activity": "Rumah makan"})
    assert [sorted(row) for row in permit_content(permit)["activity"]] == [
        ["label_en", "label_id", "value"]] * 2


@pytest.fixture
def billboard_bill():
    """A billboard site billed by area × months: the units differ between the languages."""
    permit_type = PermitTypeFactory(paid_after_approval=True, steps=["agency_a"], fee_rules=[{
        "kind": "area_months", "amount": None, "rate": 25_000, "field_key": "area",
        "second_field_key": "duration", "label_id": LEVY_ID, "label_en": LEVY_EN,
        "account_code": "4.1.02.02.01.0001"}])
    FormFieldFactory(permit_type=permit_type, key="area", label_id="Luas bidang",
                     label_en="Advertising area", kind="number", unit="m²")
    FormFieldFactory(permit_type=permit_type, key="duration", label_id="Lama pemasangan",
                     label_en="Duration", kind="number", unit="bulan", unit_en="months")
    _application, _owner, invoice = awaiting_payment(permit_type,
                                                     answers={"area": 4.5, "duration": 6})
    return invoice


def test_the_skrd_names_the_levy_and_writes_english_units_in_english(billboard_bill, tmp_path):
    [line] = billboard_bill.lines.all()
    assert line.basis_id == "4,5 m² × 6 bulan × Rp 25.000"
    assert line.basis_en == "4.5 m² × 6 months × Rp 25.000"
    # Downloaded by an English reader: the same document as for everyone.
    with translation.override("en"):
        context = invoice_context(billboard_bill)
    assert context["total"] == "Rp 675.000"
    text = one_line(pdf_text(tmp_path, rendering.html_to_pdf(rendering.invoice_html(context))))
    # The title is set in capitals, its English line too.
    assert "SURAT KETETAPAN RETRIBUSI DAERAH (SKRD) REGIONAL LEVY ASSESSMENT (SKRD)" in text
    for shown in (LEVY_ID, LEVY_EN, "6 bulan", "6 months", "Rp 675.000",
                  context["due_date"]["en"], "City Government of Pekanbaru"):
        assert shown in text
    # A levy is not a tax: only the NPWP's label (taxpayer number) may say "tax".
    assert re.search(r"\btax(es)?\b", text, re.IGNORECASE) is None

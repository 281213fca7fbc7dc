"""A business identity as OSS sends it (receiveNIB's ``dataNIB``): read and bounded into a
``NibRecord``, each refusal with its stable code; applied to the Business, created or updated,
in the audit trail; never over a business the office is checking."""

import pytest
from django.contrib.contenttypes.models import ContentType

from integrations.oss_sandbox.registry import data_nib
from licensing import claims, roles
from licensing.models import Business, NibClaim
from licensing.oss import (
    NibRecord,
    OssRecordInvalid,
    OssRecordRefused,
    business_from_oss,
    nib_record_parse,
)
from tests.factories import BusinessFactory, UserFactory
from workflows.models import TransitionLog

NIB = "9120001234567"


def body(**overrides) -> dict:
    data = data_nib(nib=NIB, legal_name="PT Melayu Jaya Sejahtera", npwp="01.234.567.8-912.000",
                    address="Jl. Tuanku Tambusai No. 10", rt_rw="002/004",
                    kelurahan="Labuh Baru Timur", kbli_codes=[56101, "47111", 1111],
                    person_name="Hj. Siti Rahmah", person_role="Direktur Utama")
    data.update(overrides)
    return {"dataNIB": data}


def record(**overrides) -> NibRecord:
    return nib_record_parse(body(**overrides))


# Reading.


def test_a_receive_nib_body_becomes_a_record():
    assert record() == NibRecord(
        nib=NIB, legal_name="PT Melayu Jaya Sejahtera", npwp="012345678912000",
        street_address="Jl. Tuanku Tambusai No. 10, RT/RW 002/004", kelurahan="Labuh Baru Timur",
        # A number loses a farming code's leading zero: it is put back.
        kbli_codes=("56101", "47111", "01111"), person_name="Hj. Siti Rahmah",
        person_role="Direktur Utama")


def test_the_deed_list_of_kbli_codes_is_read_too_and_each_code_once():
    parsed = record(data_proyek=[{"kbli": "56101"}],
                    data_kbli=[{"kbli": "Restoran dan rumah makan", "kbli5": "56101"},
                               {"kbli": "47111"}])
    assert parsed.kbli_codes == ("56101", "47111")


def test_the_person_responsible_is_the_first_named_and_their_nik_is_not_kept():
    parsed = record(penanggung_jwb=[{"nama_penanggung_jwb": "  "},
                                    {"nama_penanggung_jwb": "Budi", "no_identitas_penanggung_jwb":
                                     "1471010101800001"}])
    assert (parsed.person_name, parsed.person_role) == ("Budi", "")
    assert "1471010101800001" not in repr(parsed)


CASES = {
    "not an object": ([], "invalid_body"),
    "no dataNIB": ({"nib": NIB}, "invalid_body"),
    "short NIB": (body(nib="912000123456"), "invalid_nib"),
    "no NIB": (body(nib=None), "invalid_nib"),
    "NPWP of 14 digits": (body(npwp_perseroan="01234567891200"), "invalid_npwp"),
    "no legal name": (body(nama_perseroan=" "), "legal_name_missing"),
    "legal name too long": (body(nama_perseroan="P" * 256), "too_long"),
    "legal name not text": (body(nama_perseroan={"x": 1}), "invalid_type"),
    "no address": (body(alamat_perseroan=""), "address_missing"),
    "no KBLI code": (body(data_proyek=[]), "kbli_missing"),
    "a KBLI code of 4 digits": (body(data_proyek=[{"kbli": "5610"}]), "invalid_kbli"),
    "projects not a list": (body(data_proyek={"kbli": "56101"}), "invalid_type"),
    "too many projects": (body(data_proyek=[{"kbli": "56101"}] * 201), "too_many_items"),
    "too many KBLI codes": (body(data_proyek=[{"kbli": f"{n:05d}"} for n in range(10000, 10051)]),
                            "too_many_items"),
    "no person responsible": (body(penanggung_jwb=[]), "person_missing"),
}


@pytest.mark.parametrize("case", CASES)
def test_what_cannot_be_a_business_is_refused_with_its_code(case):
    sent, code = CASES[case]
    with pytest.raises(OssRecordInvalid) as refused:
        nib_record_parse(sent)
    assert refused.value.code == code
    assert refused.value.message


# Applying.


def oss_audit(business) -> list[tuple[str, str, str | None]]:
    return list(TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Business), object_id=business.pk,
    ).order_by("pk").values_list("transition", "note", "actor"))


@pytest.mark.django_db
def test_a_new_nib_creates_the_business_with_nobody_acting_for_it():
    business, created = business_from_oss(record=record())
    assert created
    business.refresh_from_db()
    assert (business.nib, business.legal_name, business.npwp) == (
        NIB, "PT Melayu Jaya Sejahtera", "012345678912000")
    assert business.kbli_codes == ["56101", "47111", "01111"]
    assert (business.responsible_person_name, business.responsible_person_role) == (
        "Hj. Siti Rahmah", "Direktur Utama")
    assert (business.kelurahan, business.kecamatan) == ("Labuh Baru Timur", "")
    assert business.oss_received_at is not None
    assert not business.memberships.exists()
    assert oss_audit(business) == [("oss_create", "OSS receiveNIB", None)]


@pytest.mark.django_db
def test_a_known_nib_is_updated_in_what_oss_knows_and_keeps_the_rest():
    owner = UserFactory()
    existing = BusinessFactory(nib=NIB, legal_name="CV Melayu Jaya", kecamatan="payung_sekaki",
                               kelurahan="Labuh Baru Timur", owner=owner)
    business, created = business_from_oss(record=record())
    assert not created and business.pk == existing.pk
    business.refresh_from_db()
    assert business.legal_name == "PT Melayu Jaya Sejahtera"
    assert business.kecamatan == "payung_sekaki"  # OSS names none: the one given here stays
    assert business.memberships.get().user == owner
    [(action, note, actor)] = oss_audit(business)
    assert (action, actor) == ("oss_update", None)
    assert "legal_name" in note and "npwp" in note and "kecamatan" not in note

    # The same record again changes nothing and adds nothing to the trail.
    business_from_oss(record=record())
    assert len(oss_audit(business)) == 1


@pytest.mark.django_db
def test_a_frozen_business_is_not_overwritten():
    business = BusinessFactory(nib=NIB, legal_name="CV Lama", owner=UserFactory())
    claims.business_freeze(business=business, actor=UserFactory(groups=[roles.HEAD_OF_OFFICE]),
                           reason="Dua pihak mengaku pemilik")
    with pytest.raises(OssRecordRefused) as refused:
        business_from_oss(record=record())
    assert refused.value.code == "business_frozen"
    business.refresh_from_db()
    assert (business.legal_name, business.oss_received_at) == ("CV Lama", None)


@pytest.mark.django_db
def test_a_disputed_nib_is_not_overwritten():
    business = BusinessFactory(nib=NIB, legal_name="CV Lama", owner=UserFactory())
    NibClaim.objects.create(business=business, claimant_email="lain@example.id")
    with pytest.raises(OssRecordRefused) as refused:
        business_from_oss(record=record())
    assert refused.value.code == "nib_disputed"
    business.refresh_from_db()
    assert business.legal_name == "CV Lama"


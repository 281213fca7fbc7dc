"""Six G2B services of the City of Pekanbaru as the demo catalogue.

Requirements follow the national rules each permit rests on (PP 16/2021 for PBG, Permenkes
17/2024 and 2/2023 for hygiene certificates, UU 17/2023 for practice licences, PP 22/2021 for
SPPL), simplified for a demo. Positions come from list order.

The fee rules of PBG and REKLAME follow the structure of the levy rules (PBG: floor area × rate ×
building-function index; billboards: area × months × rate) with illustrative numbers, not the
Perda's; the revenue account codes are in the format of the regional chart of accounts.
"""

from datetime import date
from decimal import Decimal

from demo.people import (
    BAPENDA,
    DINAS_KESEHATAN,
    DINAS_LINGKUNGAN_HIDUP,
    DINAS_PUPR,
    SATPOL_PP,
)
from licensing import roles
from licensing.models import FieldKind, PaymentTiming, RiskLevel
from payments.fees import FeeKind
from workflows.states import StepKind

PDF = ["pdf"]
PDF_OR_IMAGE = ["pdf", "jpeg", "png"]
IMAGE = ["jpeg", "png"]
MB = 1024


def document(name_id, name_en, formats=PDF_OR_IMAGE, max_mb=2, mandatory=True) -> dict:
    return {"name_id": name_id, "name_en": name_en, "accepted_formats": list(formats),
            "max_size_kb": max_mb * MB, "mandatory": mandatory}


def field(key, label_id, label_en, kind=FieldKind.TEXT, *, unit="", unit_en="", choices=(),
          required=True, min_value=None, max_value=None) -> dict:
    return {"key": key, "label_id": label_id, "label_en": label_en, "kind": kind, "unit": unit,
            "unit_en": unit_en,
            "choices": [{"value": v, "label_id": i, "label_en": e} for v, i, e in choices],
            "required": required, "min_value": _decimal(min_value),
            "max_value": _decimal(max_value)}


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


TARIFF_2026 = date(2026, 1, 1)


def fee(label_id, label_en, kind, account_code, **settings) -> dict:
    """A fee rule with every setting spelled out, so a re-seed puts each one back."""
    return {"label_id": label_id, "label_en": label_en, "kind": kind,
            "account_code": account_code, "effective_from": TARIFF_2026, "effective_to": None,
            "amount": None, "rate": None, "field_key": "", "second_field_key": "",
            "index_field_key": "", "index_table": {}, "tiers": [], **settings}


def step(name_id, name_en, groups, sla, kind=StepKind.REVIEW, checklist=()) -> dict:
    return {"name_id": name_id, "name_en": name_en, "groups": list(groups),
            "sla_working_days": sla, "kind": kind,
            "checklist": [{"id": i, "en": e} for i, e in checklist]}


KTP = document("KTP pemohon / penanggung jawab", "Identity card (KTP) of the applicant")
NPWP = document("NPWP", "Taxpayer number card (NPWP)")
NIB = document("Cetak NIB dari OSS", "NIB print-out from OSS", PDF)
LOCATION_PHOTOS = document("Foto lokasi", "Photos of the site", IMAGE, 5)
ADDRESS = FieldKind.ADDRESS
NUMBER = FieldKind.NUMBER

VERIFY = step("Verifikasi berkas", "Document verification", [roles.FRONT_OFFICE], 2)
SIGN = step("Persetujuan Kepala DPMPTSP", "Approval by the head of office",
            [roles.HEAD_OF_OFFICE], 2)

# The demo's levies all rest on the city's levy regulation (a demo text, not a citation).
FEE_LEGAL_BASIS = ("Peraturan Daerah Kota Pekanbaru tentang Pajak Daerah dan Retribusi Daerah "
                   "(contoh demo)")

PERMIT_TYPES = (
    {
        "code": "PBG",
        "name_id": "Persetujuan Bangunan Gedung (PBG)",
        "name_en": "Building Approval (PBG)",
        "description_id": (
            "Persetujuan untuk membangun baru, mengubah, memperluas, mengurangi dan/atau merawat "
            "bangunan gedung sesuai standar teknis. Retribusi PBG dihitung dari luas lantai dan "
            "dibayar setelah dokumen teknis disetujui."
        ),
        "description_en": (
            "Approval to build, alter, extend, reduce or maintain a building according to the "
            "technical standards. The PBG levy is calculated from the floor area and paid after "
            "the technical documents are approved."
        ),
        "risk_level": RiskLevel.HIGH,
        # A PBG stays valid for as long as the building stands as approved.
        "validity_months": None,
        "payment_timing": PaymentTiming.AFTER_APPROVAL,
        "payment_due_days": 30,
        "number_pattern": "SK-{code}-1471-{seq:05d}-{year}",
        "documents": [
            KTP,
            NPWP,
            document("Bukti kepemilikan hak atas tanah (sertifikat)",
                     "Proof of land rights (land certificate)", PDF, 10),
            document("Keterangan Rencana Kota (KRK)", "City planning statement (KRK)", PDF, 5),
            document("Gambar arsitektur (denah, tampak, potongan)",
                     "Architectural drawings (plans, elevations, sections)", PDF, 20),
            document("Gambar dan perhitungan struktur", "Structural drawings and calculations",
                     PDF, 20),
            document("Gambar mekanikal, elektrikal dan plambing (MEP)",
                     "Mechanical, electrical and plumbing drawings (MEP)", PDF, 20,
                     mandatory=False),
            LOCATION_PHOTOS,
        ],
        "fields": [
            field("building_function", "Fungsi bangunan", "Building function", FieldKind.CHOICE,
                  choices=[("hunian", "Hunian", "Residential"),
                           ("usaha", "Usaha", "Business"),
                           ("keagamaan", "Keagamaan", "Religious"),
                           ("sosial_budaya", "Sosial dan budaya", "Social and cultural"),
                           ("khusus", "Khusus", "Special")]),
            field("floor_area", "Luas total lantai bangunan", "Total floor area", NUMBER,
                  unit="m²", min_value=1, max_value=500000),
            field("floors", "Jumlah lantai", "Number of floors", NUMBER, unit="lantai",
                  unit_en="floors", min_value=1, max_value=60),
            field("land_area", "Luas tanah", "Land area", NUMBER, unit="m²", min_value=1),
            field("location", "Alamat lokasi bangunan", "Building location", ADDRESS),
            field("construction_start", "Rencana mulai pembangunan",
                  "Planned start of construction", FieldKind.DATE, required=False),
        ],
        "steps": [
            VERIFY,
            step("Penilaian teknis oleh TPA/TPT", "Technical assessment by the expert panel "
                 "(TPA/TPT)", [DINAS_PUPR], 10),
            step("Peninjauan lapangan", "Site inspection", [DINAS_PUPR], 5, StepKind.INSPECTION,
                 checklist=[
                     ("Lokasi sesuai dengan KRK dan rencana tata ruang",
                      "The site matches the KRK and the spatial plan"),
                     ("Garis sempadan bangunan (GSB) dipenuhi", "Building setback line is kept"),
                     ("Koefisien dasar bangunan (KDB) tidak terlampaui",
                      "Building coverage ratio (KDB) is not exceeded"),
                     ("Jumlah lantai sesuai gambar", "Number of floors matches the drawings"),
                     ("Tersedia saluran drainase", "Drainage is provided"),
                 ]),
            SIGN,
        ],
        "fees": [
            fee("Retribusi Persetujuan Bangunan Gedung",
                "Regional levy for building approval (retribusi PBG)",
                FeeKind.PER_UNIT, "4.1.02.03.01.0001", rate=8_000, field_key="floor_area",
                index_field_key="building_function",
                index_table={"hunian": "1.00", "usaha": "3.00", "keagamaan": "0.10",
                             "sosial_budaya": "0.50", "khusus": "4.00"}),
        ],
    },
    {
        "code": "REKLAME",
        "name_id": "Izin Penyelenggaraan Reklame",
        "name_en": "Billboard Permit",
        "description_id": (
            "Izin memasang reklame (papan, baliho, neon box, videotron) di wilayah Kota "
            "Pekanbaru. Retribusi titik reklame dihitung dari luas bidang reklame dan lama "
            "pemasangan; pajak reklame ditetapkan tersendiri oleh Bapenda."
        ),
        "description_en": (
            "Permit to put up an advertisement (billboard, banner, neon box, video screen) in "
            "the City of Pekanbaru. The regional levy for the billboard site is calculated from "
            "the advertising area and the duration; the billboard tax is assessed separately by "
            "the regional revenue agency (Bapenda)."
        ),
        "risk_level": RiskLevel.MEDIUM_LOW,
        "validity_months": 12,
        "payment_timing": PaymentTiming.AFTER_APPROVAL,
        "payment_due_days": 14,
        "number_pattern": "503/{code}/{seq:05d}/DPMPTSP/{year}",
        "documents": [
            KTP,
            NPWP,
            document("Desain visual dan naskah reklame", "Visual design and text of the "
                     "advertisement", PDF_OR_IMAGE, 5),
            document("Denah titik lokasi reklame", "Map of the billboard location", PDF_OR_IMAGE,
                     5),
            document("Surat persetujuan pemilik lahan atau bangunan",
                     "Consent of the owner of the land or building", PDF, 2),
            document("Gambar konstruksi reklame (untuk reklame di atas 8 m²)",
                     "Construction drawing (for billboards over 8 m²)", PDF, 10,
                     mandatory=False),
        ],
        "fields": [
            field("billboard_kind", "Jenis reklame", "Kind of advertisement", FieldKind.CHOICE,
                  choices=[("papan", "Papan / billboard", "Billboard"),
                           ("baliho", "Baliho", "Large banner (baliho)"),
                           ("neon_box", "Neon box", "Neon box"),
                           ("videotron", "Videotron / LED", "Video screen (LED)"),
                           ("spanduk", "Spanduk", "Banner")]),
            field("area", "Luas bidang reklame", "Advertising area", NUMBER, unit="m²",
                  min_value=0.5, max_value=200),
            field("faces", "Jumlah sisi", "Number of faces", NUMBER, unit="sisi", unit_en="faces",
                  min_value=1, max_value=4),
            field("duration", "Lama pemasangan", "Duration", NUMBER, unit="bulan",
                  unit_en="months", min_value=1, max_value=12),
            field("location", "Alamat titik reklame", "Billboard location", ADDRESS),
            field("ad_text", "Naskah reklame", "Text of the advertisement"),
        ],
        "steps": [
            VERIFY,
            step("Kajian titik reklame dan pajak reklame",
                 "Location and billboard-tax review", [BAPENDA, SATPOL_PP], 5),
            step("Persetujuan Kepala DPMPTSP", "Approval by the head of office",
                 [roles.HEAD_OF_OFFICE], 1),
        ],
        "fees": [
            # The SKRD bills levies (retribusi) only. Billboard tax (pajak reklame, a regional
            # tax, 4.1.01.x) is assessed by Bapenda on its own assessment (SKPD), so what the
            # office bills here is the levy for using a site of the city's (jasa usaha).
            fee("Retribusi Pemakaian Kekayaan Daerah (titik reklame)",
                "Regional levy for the use of city property (billboard site)",
                FeeKind.AREA_MONTHS, "4.1.02.02.01.0001",
                rate=25_000, field_key="area", second_field_key="duration"),
        ],
    },
    {
        "code": "SLHS",
        "name_id": "Sertifikat Laik Higiene Sanitasi (SLHS) Rumah Makan/Restoran",
        "name_en": "Food Hygiene and Sanitation Certificate (SLHS) for Restaurants",
        "description_id": (
            "Sertifikat bahwa rumah makan atau restoran memenuhi standar higiene sanitasi "
            "pangan, setelah inspeksi kesehatan lingkungan oleh Dinas Kesehatan. Tanpa biaya."
        ),
        "description_en": (
            "Certifies that a restaurant meets food hygiene and sanitation standards, after an "
            "environmental health inspection by the health office. Free of charge."
        ),
        "risk_level": RiskLevel.MEDIUM_LOW,
        "validity_months": 36,
        "payment_timing": PaymentTiming.NEVER,
        "payment_due_days": 7,
        "number_pattern": "443.51/{code}/{seq:05d}/DPMPTSP/{year}",
        "documents": [
            KTP,
            NIB,
            document("Denah bangunan dan dapur", "Floor plan of the premises and kitchen",
                     PDF_OR_IMAGE, 5),
            document("Hasil uji laboratorium sampel makanan dan air",
                     "Laboratory test results of food and water samples", PDF, 5),
            document("Sertifikat pelatihan higiene sanitasi pangan penjamah makanan",
                     "Food-hygiene training certificates of the food handlers", PDF, 5),
            document("Surat keterangan sehat penjamah makanan",
                     "Health certificates of the food handlers", PDF, 5, mandatory=False),
        ],
        "fields": [
            field("outlet_name", "Nama rumah makan/restoran", "Name of the restaurant"),
            field("outlet_address", "Alamat rumah makan/restoran", "Address of the restaurant",
                  ADDRESS),
            field("category", "Golongan", "Category", FieldKind.CHOICE,
                  choices=[("rumah_makan", "Rumah makan", "Eating house (rumah makan)"),
                           ("restoran", "Restoran", "Restaurant"),
                           ("kantin", "Kantin", "Canteen")]),
            field("seats", "Jumlah kursi", "Number of seats", NUMBER, unit="kursi",
                  unit_en="seats", min_value=1, max_value=5000),
            field("food_handlers", "Jumlah penjamah makanan", "Number of food handlers", NUMBER,
                  unit="orang", unit_en="people", min_value=1, max_value=1000),
        ],
        "steps": [
            VERIFY,
            step("Inspeksi kesehatan lingkungan (IKL)", "Environmental health inspection",
                 [DINAS_KESEHATAN], 7, StepKind.INSPECTION,
                 checklist=[
                     ("Dapur bersih dan berventilasi", "Kitchen is clean and ventilated"),
                     ("Air bersih memenuhi syarat", "Clean water meets the standard"),
                     ("Bahan pangan disimpan terpisah dan tertutup",
                      "Food is stored separately and covered"),
                     ("Tersedia tempat cuci tangan dengan sabun",
                      "Hand-washing station with soap is available"),
                     ("Sampah dikelola dan tertutup", "Waste is managed and covered"),
                     ("Penjamah makanan memakai celemek dan penutup kepala",
                      "Food handlers wear aprons and head covers"),
                 ]),
            SIGN,
        ],
    },
    {
        "code": "TDUP",
        "name_id": "Tanda Daftar Usaha Pariwisata (TDUP)",
        "name_en": "Tourism Business Registration (TDUP)",
        "description_id": (
            "Pendaftaran usaha pariwisata berisiko rendah. Terbit langsung saat permohonan "
            "diajukan, tanpa verifikasi dan tanpa biaya."
        ),
        "description_en": (
            "Registration of a low-risk tourism business. Granted on submission, with no review "
            "and free of charge."
        ),
        "risk_level": RiskLevel.LOW,
        "validity_months": None,
        "payment_timing": PaymentTiming.NEVER,
        "payment_due_days": 7,
        "number_pattern": "556/{code}/{seq:05d}/DPMPTSP/{year}",
        "documents": [
            KTP,
            NIB,
            document("Foto tempat usaha", "Photo of the business premises", IMAGE, 5),
        ],
        "fields": [
            field("tourism_kind", "Jenis usaha pariwisata", "Kind of tourism business",
                  FieldKind.CHOICE,
                  choices=[("jasa_perjalanan", "Jasa perjalanan wisata", "Travel agency"),
                           ("homestay", "Pondok wisata (homestay)", "Homestay"),
                           ("kafe", "Kafe", "Café"),
                           ("hiburan", "Hiburan dan rekreasi", "Entertainment and recreation")]),
            field("venue", "Alamat tempat usaha", "Address of the premises", ADDRESS),
            field("opening_date", "Tanggal mulai beroperasi", "Opening date", FieldKind.DATE),
        ],
        "steps": [],
    },
    {
        "code": "SIP",
        "name_id": "Surat Izin Praktik (SIP) Tenaga Medis dan Tenaga Kesehatan",
        "name_en": "Health Practice Licence (SIP) for Doctors and Health Workers",
        "description_id": (
            "Izin praktik bagi dokter, dokter gigi, bidan, perawat dan apoteker di fasilitas "
            "pelayanan kesehatan di Kota Pekanbaru. Berlaku paling banyak untuk tiga tempat "
            "praktik. Tanpa biaya."
        ),
        "description_en": (
            "Practice licence for doctors, dentists, midwives, nurses and pharmacists at a health "
            "facility in the City of Pekanbaru, for at most three places of practice. Free of "
            "charge."
        ),
        "risk_level": RiskLevel.MEDIUM_HIGH,
        "validity_months": 60,
        "payment_timing": PaymentTiming.NEVER,
        "payment_due_days": 7,
        "number_pattern": "503/{code}/{seq:05d}/DPMPTSP/{year}",
        "documents": [
            KTP,
            document("Surat Tanda Registrasi (STR)", "Registration certificate (STR)", PDF, 2),
            document("Ijazah pendidikan profesi", "Professional diploma", PDF, 5),
            document("Pas foto berwarna 4x6", "Colour photo 4x6", IMAGE, 1),
            document("Surat keterangan dari fasilitas pelayanan kesehatan tempat praktik",
                     "Letter from the health facility of practice", PDF, 2),
            document("Surat keterangan sehat dari dokter", "Medical fitness certificate", PDF, 2),
        ],
        "fields": [
            field("nik", "NIK (16 digit)", "NIK (national identity number, 16 digits)"),
            field("str_number", "Nomor STR", "STR number"),
            field("profession", "Profesi", "Profession", FieldKind.CHOICE,
                  choices=[("dokter", "Dokter", "Physician"),
                           ("dokter_gigi", "Dokter gigi", "Dentist"),
                           ("dokter_spesialis", "Dokter spesialis", "Specialist physician"),
                           ("bidan", "Bidan", "Midwife"),
                           ("perawat", "Perawat", "Nurse"),
                           ("apoteker", "Apoteker", "Pharmacist")]),
            field("facility_name", "Nama fasilitas pelayanan kesehatan",
                  "Name of the health facility"),
            field("facility_address", "Alamat tempat praktik", "Address of the place of practice",
                  ADDRESS),
            field("practice_slot", "Tempat praktik ke-", "Place of practice number",
                  FieldKind.CHOICE,
                  choices=[("1", "Pertama", "First"), ("2", "Kedua", "Second"),
                           ("3", "Ketiga", "Third")]),
        ],
        "steps": [
            VERIFY,
            step("Verifikasi teknis Dinas Kesehatan", "Technical verification by the health "
                 "office", [DINAS_KESEHATAN], 3),
            SIGN,
        ],
    },
    {
        "code": "SPPL",
        "name_id": "Surat Pernyataan Kesanggupan Pengelolaan dan Pemantauan Lingkungan Hidup "
                   "(SPPL)",
        "name_en": "Environmental Management and Monitoring Statement (SPPL)",
        "description_id": (
            "Pernyataan kesanggupan mengelola dan memantau dampak lingkungan bagi usaha yang "
            "tidak wajib AMDAL atau UKL-UPL, diperiksa oleh Dinas Lingkungan Hidup. Tanpa biaya."
        ),
        "description_en": (
            "A statement that the business will manage and monitor its environmental impact, "
            "for activities that need neither an AMDAL nor a UKL-UPL, checked by the environment "
            "office. Free of charge."
        ),
        "risk_level": RiskLevel.MEDIUM_LOW,
        "validity_months": None,
        "payment_timing": PaymentTiming.NEVER,
        "payment_due_days": 7,
        "number_pattern": "660/{code}/{seq:05d}/DLH/{year}",
        "documents": [
            KTP,
            NIB,
            document("Formulir SPPL yang ditandatangani di atas meterai",
                     "SPPL form signed over a duty stamp", PDF, 2),
            document("Denah lokasi kegiatan", "Site plan of the activity", PDF_OR_IMAGE, 5),
            LOCATION_PHOTOS,
        ],
        "fields": [
            field("activity", "Uraian kegiatan usaha", "Description of the business activity"),
            field("activity_location", "Lokasi kegiatan", "Location of the activity", ADDRESS),
            field("land_area", "Luas lahan", "Land area", NUMBER, unit="m²", min_value=1),
            field("waste_kind", "Jenis limbah utama", "Main kind of waste", FieldKind.CHOICE,
                  choices=[("domestik", "Limbah domestik", "Household-type waste"),
                           ("cair", "Limbah cair usaha", "Business waste water"),
                           ("padat", "Limbah padat usaha", "Business solid waste")]),
        ],
        "steps": [
            step("Pemeriksaan SPPL", "SPPL review", [DINAS_LINGKUNGAN_HIDUP], 3),
            SIGN,
        ],
    },
)

"""Roles, agency reviewer groups, the demo business and the demo accounts.

The demo password is printed by ``seed_demo`` on purpose: it is for a local demo only, and the
command refuses to run with DEBUG off unless forced.
"""

from licensing import roles
from licensing.models import Kecamatan, MemberRole

DEMO_PASSWORD = "izin-demo-2026"  # noqa: S105 (a published demo password, printed on every run)

# Sector agencies (OPD) that review. A review step names the groups responsible for it.
DINAS_PUPR = "dinas_pupr"  # public works and spatial planning: PBG technical review (TPA/TPT)
DINAS_KESEHATAN = "dinas_kesehatan"  # health office
DINAS_PARIWISATA = "dinas_pariwisata"  # tourism office
BAPENDA = "bapenda"  # regional revenue agency: billboard tax (pajak reklame)
DINAS_LINGKUNGAN_HIDUP = "dinas_lingkungan_hidup"  # environment office
SATPOL_PP = "satpol_pp"  # municipal police: enforcement of local regulations (perda)

AGENCY_GROUPS = (
    DINAS_PUPR, DINAS_KESEHATAN, DINAS_PARIWISATA, BAPENDA, DINAS_LINGKUNGAN_HIDUP, SATPOL_PP,
)
GROUPS = roles.STAFF_GROUPS + AGENCY_GROUPS

# The names people see for each group (``workflows.ReviewUnit``): Indonesian, English.
UNITS = {
    roles.FRONT_OFFICE: ("Front Office DPMPTSP", "DPMPTSP front office"),
    roles.HEAD_OF_OFFICE: ("Kepala DPMPTSP", "Head of DPMPTSP"),
    roles.TREASURY_OFFICER: ("Bendahara Penerimaan BPKAD", "BPKAD revenue treasurer"),
    roles.TREASURY_SUPERVISOR: ("Pengawas Kas Daerah BPKAD", "BPKAD treasury supervisor"),
    roles.ADMINISTRATOR: ("Administrator Sistem DPMPTSP", "DPMPTSP system administrator"),
    DINAS_PUPR: ("Dinas Pekerjaan Umum dan Penataan Ruang (PUPR)",
                 "Public Works and Spatial Planning Office (PUPR)"),
    DINAS_KESEHATAN: ("Dinas Kesehatan", "Health Office"),
    DINAS_PARIWISATA: ("Dinas Kebudayaan dan Pariwisata", "Culture and Tourism Office"),
    BAPENDA: ("Badan Pendapatan Daerah (Bapenda)", "Regional Revenue Agency (Bapenda)"),
    DINAS_LINGKUNGAN_HIDUP: ("Dinas Lingkungan Hidup", "Environment Office"),
    SATPOL_PP: ("Satuan Polisi Pamong Praja (Satpol PP)", "Municipal Police (Satpol PP)"),
}

# The administrator group configures the catalogue and the calendar without being a superuser.
ADMINISTRATOR_MODELS = (
    ("licensing", "permittype"),
    ("licensing", "requireddocument"),
    ("licensing", "formfield"),
    ("workflows", "reviewstep"),
    ("workflows", "reviewunit"),
    ("workflows", "calendarday"),
    ("payments", "feerule"),
    ("licensing", "signer"),
)

# A fictitious head of office, printed on the demo's permits.
SIGNER = {
    "name": "Dra. Rini Kartikasari, M.Si.",
    "title": "Kepala DPMPTSP Kota Pekanbaru",
    "nip": "197203152000032004",
}

BUSINESS = {
    "nib": "9120301726154",
    "legal_name": "CV Selera Melayu Lancang Kuning",
    "npwp": "012345678216000",
    "street_address": "Jl. Jenderal Sudirman No. 215",
    "kecamatan": Kecamatan.PEKANBARU_KOTA,
    "kelurahan": "Sukaramai",
    # Restaurant (56101) and event catering (56210).
    "kbli_codes": ["56101", "56210"],
}

# role: what the table printed at the end of seed_demo says the account is for.
ACCOUNTS = (
    {"email": "pemilik@izin.test", "full_name": "Siti Rahmawati",
     "role": "Business owner (CV Selera Melayu Lancang Kuning)", "groups": (),
     "business_role": MemberRole.OWNER},
    {"email": "frontoffice@izin.test", "full_name": "Rizky Pratama",
     "role": "Front office: document verification, counter intake",
     "groups": (roles.FRONT_OFFICE,)},
    {"email": "pupr@izin.test", "full_name": "Ir. Hendra Saputra",
     "role": "Reviewer, Dinas PUPR: PBG technical review", "groups": (DINAS_PUPR,)},
    {"email": "penilik@izin.test", "full_name": "Dedi Kurniawan, S.T.",
     "role": "Reviewer, Dinas PUPR: PBG site inspection", "groups": (DINAS_PUPR,)},
    {"email": "kesehatan@izin.test", "full_name": "dr. Nurul Hidayah",
     "role": "Reviewer, Dinas Kesehatan", "groups": (DINAS_KESEHATAN,)},
    {"email": "bapenda@izin.test", "full_name": "Fitri Handayani",
     "role": "Reviewer, Bapenda: billboards", "groups": (BAPENDA,)},
    {"email": "satpolpp@izin.test", "full_name": "Agus Salim",
     "role": "Reviewer, Satpol PP: billboards", "groups": (SATPOL_PP,)},
    {"email": "dlh@izin.test", "full_name": "Yuliana Siregar",
     "role": "Reviewer, Dinas Lingkungan Hidup: SPPL", "groups": (DINAS_LINGKUNGAN_HIDUP,)},
    {"email": "kepala@izin.test", "full_name": "Drs. Syamsul Bahri, M.Si.",
     "role": "Head of office: final approval", "groups": (roles.HEAD_OF_OFFICE,)},
    {"email": "bendahara@izin.test", "full_name": "Wulan Sari",
     "role": "Treasury officer", "groups": (roles.TREASURY_OFFICER,)},
    # Maker-checker: write-offs, manual matches and refunds the officer prepares, only a
    # supervisor approves; counter payments the officer proposes, a second officer confirms.
    {"email": "pengawas@izin.test", "full_name": "Bambang Hermanto, S.E.",
     "role": "Treasury supervisor: approves write-offs, manual matches and refunds; confirms "
             "counter payments",
     "groups": (roles.TREASURY_SUPERVISOR,)},
    {"email": "admin@izin.test", "full_name": "Admin Izin",
     "role": "Administrator (Django admin at /admin/)", "groups": (roles.ADMINISTRATOR,),
     "is_staff": True, "is_superuser": True},
)

# The authenticator every demo staff account is given (``manage.py demo_code`` reads it).
DEMO_DEVICE = "Demo authenticator"

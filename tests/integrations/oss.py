"""The OSS sandbox as the tests' national registry: a business in it, and Izin pointed at it."""

from integrations.oss_sandbox.registry import registry_add

NIB = "9120001234567"
NPWP = "012345678912000"
NAME = "PT Melayu Jaya Sejahtera"


def in_registry(**overrides):
    fields = {"nib": NIB, "legal_name": NAME, "npwp": NPWP,
              "address": "Jl. Tuanku Tambusai No. 10", "rt_rw": "002/004",
              "kelurahan": "Labuh Baru Timur", "kbli_codes": ["56101", "47111"],
              "person_name": "Hj. Siti Rahmah", "person_role": "Direktur Utama"}
    return registry_add(**{**fields, **overrides})


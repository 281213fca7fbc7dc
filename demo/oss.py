"""The OSS sandbox's registry for the demo: the demo business as OSS knows it, and a few
businesses OSS knows that Izin does not yet, to register online or at the counter. With them,
a subscription that tells the sandbox of every permit's state, as the city's would tell OSS."""

from django.apps import apps
from django.conf import settings

from events.models import Subscription
from integrations import oss_status

from .people import BUSINESS

SECRET_NAME = "oss-sandbox"  # noqa: S105 (the name of a secret, not one)
# Fictitious businesses, in OSS but not yet in Izin: what a newcomer types at sign-up.
NEWCOMERS = (
    {"nib": "9120405118730", "legal_name": "PT Riau Niaga Sentosa", "npwp": "023456789216000",
     "address": "Jl. Tuanku Tambusai No. 88", "kelurahan": "Labuh Baru Timur",
     "kbli_codes": ["47111"], "person_name": "Ahmad Fauzi"},
    {"nib": "9120405118748", "legal_name": "CV Kopi Siak Bersaudara", "npwp": "034567891216000",
     "address": "Jl. Riau No. 12", "kelurahan": "Padang Terubuk", "kbli_codes": ["56303"],
     "person_name": "Nurul Hidayah"},
    {"nib": "9120405118756", "legal_name": "PT Bengkel Lancang Kuning", "npwp": "045678912216000",
     "address": "Jl. Soekarno-Hatta No. 5", "kelurahan": "Sidomulyo Barat",
     "kbli_codes": ["45201"], "person_name": "Yudi Hartono"},
)


def enabled() -> bool:
    return apps.is_installed("integrations.oss_sandbox")


def seed_oss_registry() -> list[dict]:
    """Put the demo's businesses in the sandbox registry (again: it replaces); the newcomers."""
    # Here, not above: the sandbox's models exist only where the sandbox is installed.
    from integrations.oss_sandbox.registry import registry_add

    registry_add(nib=BUSINESS["nib"], legal_name=BUSINESS["legal_name"], npwp=BUSINESS["npwp"],
                 address=BUSINESS["street_address"], kelurahan=BUSINESS["kelurahan"],
                 kbli_codes=BUSINESS["kbli_codes"], person_name="Siti Rahmawati")
    for newcomer in NEWCOMERS:
        registry_add(**newcomer)
    return list(NEWCOMERS)


def seed_oss_subscription(*, site_url: str) -> bool:
    """From now on, permit events reach the sandbox's receiveLicenseStatus. Made after the demo
    permits exist, so the demo's own issuing does not queue deliveries to a server not yet up."""
    if SECRET_NAME not in settings.EVENTS_SUBSCRIPTION_SECRETS:
        return False
    _subscription, created = Subscription.objects.update_or_create(
        name="OSS (sandbox)", defaults={
            "url": f"{site_url.rstrip('/')}/sandbox/oss/receiveLicenseStatus",
            "topics": list(oss_status.TOPICS), "shape": oss_status.NAME,
            "secret_name": SECRET_NAME, "active": True,
        })
    return created

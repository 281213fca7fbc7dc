"""What an API key may do: a closed list, each scope a door to one part of the API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CATALOGUE = "catalogue", _("Catalogue: read the permit types")
    APPLICATIONS = "applications", _("Applications: manage those of the bound businesses")
    PERMITS = "permits", _("Permits: look up, verify and download")
    TREASURY = "treasury", _("Treasury: read the ledger, daily closes and their exports")
    OSS = "oss", _("OSS: receive business identities from the national registry")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OssSandboxConfig(AppConfig):
    """A stand-in for OSS, the national business registry: it answers inqueryNIB from its own
    records, records every receiveLicenseStatus it gets, and sends receiveNIB to Izin. It imports
    nothing of Izin and is reached over HTTP only, like the payment sandbox."""

    name = "integrations.oss_sandbox"
    label = "oss_sandbox"
    verbose_name = _("OSS sandbox")

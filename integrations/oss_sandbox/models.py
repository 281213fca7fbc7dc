"""What the sandbox OSS holds: the registry's businesses and the license statuses it received."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistryBusiness(models.Model):
    """A business in the sandbox registry, kept as OSS sends it: the ``dataNIB`` object."""

    nib = models.CharField(_("NIB"), max_length=13, unique=True)
    data = models.JSONField(_("dataNIB"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("registry business")
        verbose_name_plural = _("registry businesses")
        ordering = ["nib"]

    def __str__(self) -> str:
        return f"{self.nib} {self.data.get('nama_perseroan', '')}"


class ReceivedLicenseStatus(models.Model):
    """One receiveLicenseStatus call whose signature checked out, as it came."""

    # Izin's event id (its Izin-Event-Id header): a redelivery of one event is recorded once.
    event_id = models.CharField(_("event id"), max_length=64, unique=True, null=True, blank=True)
    body = models.TextField(_("raw body"))
    headers = models.JSONField(_("headers"), default=dict)
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    id_izin = models.CharField(_("id_izin"), max_length=100, blank=True)
    kd_izin = models.CharField(_("kd_izin"), max_length=50, blank=True)
    kd_instansi = models.CharField(_("kd_instansi"), max_length=10, blank=True)
    kd_status = models.CharField(_("kd_status"), max_length=2, blank=True)
    tgl_status = models.CharField(_("tgl_status"), max_length=19, blank=True)
    nip_status = models.CharField(_("nip_status"), max_length=50, blank=True)
    nama_status = models.CharField(_("nama_status"), max_length=50, blank=True)
    keterangan = models.TextField(_("keterangan"), blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("received license status")
        verbose_name_plural = _("received license statuses")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.id_izin} → {self.kd_status}"

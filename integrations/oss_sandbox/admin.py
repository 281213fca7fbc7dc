from django.contrib import admin

from .models import ReceivedLicenseStatus, RegistryBusiness


@admin.register(RegistryBusiness)
class RegistryBusinessAdmin(admin.ModelAdmin):
    list_display = ("nib", "__str__", "updated_at")
    search_fields = ("nib",)


@admin.register(ReceivedLicenseStatus)
class ReceivedLicenseStatusAdmin(admin.ModelAdmin):
    list_display = ("received_at", "nib", "id_izin", "kd_status", "nama_status")
    list_filter = ("kd_status",)
    search_fields = ("nib", "id_izin")
    readonly_fields = [field.name for field in ReceivedLicenseStatus._meta.fields]

"""Mounted at /sandbox/oss/ (config/urls.py) when OSS_SANDBOX_ENABLED: OSS's own paths below it,
so Izin's OSS_BASE_URL is just <site>/sandbox/oss."""

from django.urls import path

from . import views

urlpatterns = [
    path("inqueryNIB", views.inquery_nib, name="oss_sandbox_inquery_nib"),
    path("receiveLicenseStatus", views.receive_license_status,
         name="oss_sandbox_receive_license_status"),
]

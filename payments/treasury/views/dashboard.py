"""Treasury pages: dashboard (placeholder routes until the area is built)."""

from django.urls import path

from payments.treasury.views._placeholder import placeholder

urlpatterns = [
    path("", placeholder, name="dashboard"),
]

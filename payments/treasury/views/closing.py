"""Treasury pages: closing (placeholder routes until the area is built)."""

from django.urls import path

from payments.treasury.views._placeholder import placeholder

urlpatterns = [
    path("", placeholder, name="day_list"),
    path("<str:day>/", placeholder, name="day_detail"),
    path("<str:day>/export.<str:fmt>", placeholder, name="day_export"),
    path("<str:day>/sts/", placeholder, name="day_sts"),
]

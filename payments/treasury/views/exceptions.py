"""Treasury pages: exceptions (placeholder routes until the area is built)."""

from django.urls import path

from payments.treasury.views._placeholder import placeholder

urlpatterns = [
    path("", placeholder, name="exception_list"),
    path("<int:pk>/", placeholder, name="exception_detail"),
]

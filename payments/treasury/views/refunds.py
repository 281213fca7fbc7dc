"""Treasury pages: refunds (placeholder routes until the area is built)."""

from django.urls import path

from payments.treasury.views._placeholder import placeholder

urlpatterns = [
    path("", placeholder, name="refund_list"),
    path("<int:pk>/", placeholder, name="refund_detail"),
    path("new/<int:payment_pk>/", placeholder, name="refund_new"),
]

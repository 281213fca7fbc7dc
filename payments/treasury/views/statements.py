"""Treasury pages: statements (placeholder routes until the area is built)."""

from django.urls import path

from payments.treasury.views._placeholder import placeholder

urlpatterns = [
    path("", placeholder, name="statement_list"),
    path("upload/", placeholder, name="statement_upload"),
    path("<int:pk>/", placeholder, name="statement_detail"),
    path("lines/<int:pk>/counter-payment/", placeholder, name="counter_payment_record"),
    path("payouts/", placeholder, name="payout_list"),
    path("payouts/<int:pk>/", placeholder, name="payout_detail"),
]

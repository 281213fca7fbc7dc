from django.urls import path

from payments import views

urlpatterns = [
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/reissue/", views.invoice_reissue, name="invoice_reissue"),
    path("invoices/<int:pk>/pay/", views.invoice_pay, name="invoice_pay"),
    path("invoices/<int:pk>/skrd.pdf", views.invoice_download, name="invoice_download"),
    path("attempts/<int:pk>/", views.payment_return, name="payment_return"),
    path("attempts/<int:pk>/status.json", views.payment_status, name="payment_status"),
    path("attempts/<int:pk>/cancelled/", views.payment_cancelled, name="payment_cancelled"),
    path("attempts/<int:pk>/receipt/", views.payment_receipt, name="payment_receipt"),
    path("attempts/<int:pk>/receipt.pdf", views.receipt_download, name="receipt_download"),
    path("webhooks/stripe/", views.stripe_webhook, name="stripe_webhook"),
]

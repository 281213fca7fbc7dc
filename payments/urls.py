from django.urls import path

from payments import views

urlpatterns = [
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/reissue/", views.invoice_reissue, name="invoice_reissue"),
]

from django.urls import path

from evaluation import views_reports as views

app_name = "reports"
urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/make/", views.report_make, name="report_make"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/csv/", views.report_csv, name="report_csv"),
]

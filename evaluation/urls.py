"""The evaluation's pages: public transparency (no login), the survey and complaints (feedback),
and the monthly evaluation (the office)."""

from django.urls import include, path

urlpatterns = [
    path("public/", include("evaluation.urls_public")),
    path("feedback/", include("evaluation.urls_feedback")),
    path("evaluation/", include("evaluation.urls_reports")),
]

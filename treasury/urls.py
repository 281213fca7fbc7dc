"""The treasury's pages under /treasury/, one module of views per area (all treasury-only)."""

from django.urls import include, path

from treasury.views import closing, dashboard, exceptions, refunds, statements

app_name = "treasury"

urlpatterns = [
    path("", include(dashboard.urlpatterns)),
    path("statements/", include(statements.urlpatterns)),
    path("exceptions/", include(exceptions.urlpatterns)),
    path("refunds/", include(refunds.urlpatterns)),
    path("days/", include(closing.urlpatterns)),
]

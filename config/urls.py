
from django.conf import settings
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path


def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links; the icon is static/favicon.svg. Not
    a permanent redirect: its hashed name changes with the file."""
    return HttpResponseRedirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("review/", include("workflows.urls")),
    path("documents/", include("documents.urls")),
    path("verify/", include("documents.urls_verify")),
    path("payments/", include("payments.urls")),
    path("treasury/", include("treasury.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/", include("api.urls")),
    path("", include("evaluation.urls")),
    path("", include("operations.urls")),
    path("", include("licensing.urls")),
]

if settings.OSS_SANDBOX_ENABLED:
    # The stand-in national registry, at OSS's own paths: /sandbox/oss/inqueryNIB, …
    urlpatterns.insert(0, path("sandbox/oss/", include("integrations.oss_sandbox.urls")))

if settings.PAYMENT_SANDBOX_ENABLED:
    # The stand-in gateway: its API at /sandbox/stripe/v1/…, its hosted checkout page.
    urlpatterns.insert(0, path("sandbox/", include("payments.sandbox.urls")))

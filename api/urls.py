"""/api/v1/… for other systems (a key each), /api/schema/ (OpenAPI 3) and /api/docs/ (its page,
from Izin's own static files)."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.errors import not_found
from api.views import applications, catalogue, oss, permits, treasury
from config.body_limit import body_limit

v1 = [
    path("catalogue/", catalogue.CatalogueList.as_view(), name="api_catalogue"),
    path("catalogue/<str:code>/", catalogue.CatalogueDetail.as_view(), name="api_permit_type"),
    path("applications/", applications.ApplicationList.as_view(), name="api_applications"),
    path("applications/<str:reference>/", applications.ApplicationDetail.as_view(),
         name="api_application"),
    path("applications/<str:reference>/submit/", applications.ApplicationSubmit.as_view(),
         name="api_application_submit"),
    path("applications/<str:reference>/documents/",
         body_limit(applications.document_upload_limit)(
             applications.ApplicationDocuments.as_view()),
         name="api_application_documents"),
    path("applications/<str:reference>/timeline/", applications.ApplicationTimeline.as_view(),
         name="api_application_timeline"),
    path("applications/<str:reference>/bills/", applications.ApplicationBills.as_view(),
         name="api_application_bills"),
    # Permit numbers hold slashes: the actions come first, the bare number last.
    path("permits/<path:number>/pdf/", permits.PermitPdf.as_view(), name="api_permit_pdf"),
    path("permits/<path:number>/check/",
         body_limit(permits.check_upload_limit)(permits.PermitCheck.as_view()),
         name="api_permit_check"),
    path("permits/<path:number>/", permits.PermitDetail.as_view(), name="api_permit"),
    path("treasury/ledger/", treasury.LedgerList.as_view(), name="api_ledger"),
    path("treasury/daily-closes/", treasury.DailyCloseList.as_view(), name="api_daily_closes"),
    path("treasury/daily-closes/<str:day>/", treasury.DailyCloseDetail.as_view(),
         name="api_daily_close"),
    path("treasury/daily-closes/<str:day>/sipkd.csv", treasury.DailyCloseSipkd.as_view(),
         name="api_daily_close_sipkd"),
    path("oss/receive-nib", body_limit(oss.body_limit_bytes)(oss.ReceiveNib.as_view()),
         name="api_oss_receive_nib"),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # Swagger UI sets inline styles and draws its icons as data: images; it runs no inline
    # script (its start-up code is a file of its own), and it shows no one's data.
    path("docs/", csp_update({"style-src": [SELF, UNSAFE_INLINE], "img-src": [SELF, "data:"]})(
        SpectacularSwaggerSplitView.as_view(url_name="api_schema")), name="api_docs"),
    path("v1/", include(v1)),
    # Anything else under /api/ (a number with a line break in it too) is not found, in JSON.
    re_path(r"^[\s\S]*$", not_found),
]

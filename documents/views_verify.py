"""Public verification pages: no login, rate-limited per client, nothing stored."""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from config.body_limit import body_limit
from documents import offline_token, verification
from documents.throttle import throttled
from documents.uploads import UploadRefused
from licensing.models import Permit


def _lookup(request) -> str:
    return "lookup"


def _lookup_or_upload(request) -> str:
    return "upload" if request.method == "POST" else "lookup"


@body_limit(lambda: settings.VERIFY_UPLOAD_MAX_BYTES)  # outermost: the middleware reads it
@require_http_methods(["GET", "POST"])
@throttled(_lookup_or_upload)
def verify_permit(request, number: str):
    try:
        permit = verification.permit_get_for_verification(number=number,
                                                          code=request.GET.get("c", ""))
    except Permit.DoesNotExist:
        raise Http404 from None
    facts = verification.permit_verification(permit)
    if request.method == "GET" and request.get_preferred_type(
            ["text/html", "application/json"]) == "application/json":
        return JsonResponse(facts)
    check, refused = None, None
    if request.method == "POST":
        try:
            check = verification.permit_pdf_check(
                permit=permit, content=verification.upload_read(request.FILES.get("file")))
        except UploadRefused as error:
            refused = error.message
    return render(request, "documents/verify.html",
                  {"permit": facts, "valid_from": permit.valid_from,
                   "valid_until": permit.valid_until, "check": check, "refused": refused},
                  status=400 if refused else 200)


@require_GET
@throttled(_lookup)
def public_key(request):
    return HttpResponse(offline_token.public_key_pem(), content_type="application/x-pem-file")


@require_GET
@throttled(_lookup)
def revoked_list(request):
    response = JsonResponse(verification.revocation_list())
    response["Cache-Control"] = "public, max-age=300"  # apps refresh often; five minutes is fresh
    return response

"""Permits for the agencies that check them: look one up by its number, download the signed
PDF, and check whether a PDF someone shows is the one the office issued. Only permits whose
signed PDF is stored exist here, as on the public verification page."""

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.base import ApiView, CreateView
from api.renderers import PdfRenderer
from api.scopes import Scope
from api.serializers import PermitCheckIn, PermitCheckOut, PermitOut
from documents import verification
from licensing.models import Permit


def issued_permit(number: str) -> Permit:
    return get_object_or_404(
        Permit.objects.select_related("holder", "permit_type", "superseded_by").exclude(file=""),
        number=number[:100],
    )


class PermitDetail(ApiView):
    scope = Scope.PERMITS

    @extend_schema(responses=PermitOut, operation_id="permits_get")
    def get(self, request, number: str):
        return Response(verification.permit_verification(issued_permit(number)))


class PermitPdf(ApiView):
    scope = Scope.PERMITS
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
                   operation_id="permits_pdf")
    def get(self, request, number: str):
        permit = issued_permit(number)
        response = FileResponse(permit.file.open("rb"), as_attachment=True,
                                content_type="application/pdf",
                                filename=f"izin-{permit.number.replace('/', '-')}.pdf")
        response["X-Content-Type-Options"] = "nosniff"
        return response


class PermitCheck(CreateView):
    scope = Scope.PERMITS
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": PermitCheckIn}, responses={200: PermitCheckOut},
                   operation_id="permits_check")
    def post(self, request, number: str):
        return super().post(request, number=number)

    def create(self, request, number: str):
        permit = issued_permit(number)
        incoming = PermitCheckIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        check = verification.permit_pdf_check(
            permit=permit, content=verification.upload_read(incoming.validated_data["file"]))
        return Response(PermitCheckOut(check).data)


def check_upload_limit() -> int:
    return settings.VERIFY_UPLOAD_MAX_BYTES

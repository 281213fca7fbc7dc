"""A business's applications, as the system the business uses sends them: create, upload the
documents, submit, and follow (state, timeline, bills). A key reaches only the applications of
the businesses it is bound to; any other is "not found", never "forbidden"."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from api.answers import answers_parse
from api.base import ApiView, CreateView
from api.errors import ApiError
from api.pagination import PAGE_PARAMETERS, Pages
from api.schema import paged
from api.scopes import Scope
from api.serializers import (
    ApplicationIn,
    ApplicationOut,
    AttachmentOut,
    BillOut,
    DocumentIn,
    TimelineEntryOut,
)
from documents import selectors as document_selectors
from documents.services import attachment_upload
from licensing import selectors, services
from licensing.models import Application, PermitType
from payments import selectors as payment_selectors
from workflows.timeline import application_timeline_for_user


def application_for_key(request, reference: str) -> Application:
    return get_object_or_404(selectors.application_list_for_user(user=request.user),
                             reference=reference)


class ApplicationList(CreateView):
    scope = Scope.APPLICATIONS

    @extend_schema(responses=paged(ApplicationOut), operation_id="applications_list",
                   parameters=PAGE_PARAMETERS)
    def get(self, request):
        pages = Pages()
        page = pages.paginate_queryset(selectors.application_list_for_user(user=request.user),
                                       request, view=self)
        return pages.get_paginated_response(ApplicationOut(page, many=True).data)

    @extend_schema(request=ApplicationIn, responses={201: ApplicationOut},
                   operation_id="applications_create")
    def post(self, request):
        return super().post(request)

    def create(self, request):
        incoming = ApplicationIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        business = request.auth.businesses.filter(nib=data["business_nib"]).first()
        if business is None:
            raise Http404
        permit_type = PermitType.objects.filter(code=data["permit_type"], is_active=True).first()
        if permit_type is None:
            raise ApiError(status_code=400, code="unknown_permit_type", message=_(
                "There is no permit type open for applications with this code."))
        answers = answers_parse(permit_type=permit_type, data=data["answers"])
        application = services.application_create(business=business, permit_type=permit_type,
                                                  actor=request.user, answers=answers)
        return Response(ApplicationOut(application).data, status=201)


class ApplicationDetail(ApiView):
    scope = Scope.APPLICATIONS

    @extend_schema(responses=ApplicationOut, operation_id="applications_get")
    def get(self, request, reference: str):
        return Response(ApplicationOut(application_for_key(request, reference)).data)


class ApplicationSubmit(CreateView):
    scope = Scope.APPLICATIONS

    @extend_schema(request=None, responses={200: ApplicationOut},
                   operation_id="applications_submit")
    def post(self, request, reference: str):
        return super().post(request, reference=reference)

    def create(self, request, reference: str):
        application = application_for_key(request, reference)
        application = services.application_submit(application=application, actor=request.user)
        return Response(ApplicationOut(application).data)


class ApplicationDocuments(CreateView):
    scope = Scope.APPLICATIONS
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": DocumentIn}, responses={201: AttachmentOut},
                   operation_id="applications_document_upload")
    def post(self, request, reference: str):
        return super().post(request, reference=reference)

    def create(self, request, reference: str):
        application = application_for_key(request, reference)
        incoming = DocumentIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        requirement = application.permit_type.required_documents.filter(
            pk=incoming.validated_data["requirement"]).first()
        if requirement is None:
            raise ApiError(status_code=400, code="unknown_requirement", message=_(
                "This document is not required for this permit type."))
        attachment = attachment_upload(application=application, requirement=requirement,
                                       actor=request.user,
                                       uploaded_file=incoming.validated_data["file"])
        return Response(AttachmentOut(attachment).data, status=201)


def document_upload_limit() -> int:
    return document_selectors.largest_document_bytes()


class ApplicationTimeline(ApiView):
    scope = Scope.APPLICATIONS

    @extend_schema(responses=TimelineEntryOut(many=True), operation_id="applications_timeline")
    def get(self, request, reference: str):
        application = application_for_key(request, reference)
        entries = application_timeline_for_user(application=application, user=request.user)
        return Response(TimelineEntryOut(entries, many=True).data)


class ApplicationBills(ApiView):
    scope = Scope.APPLICATIONS

    @extend_schema(responses=BillOut(many=True), operation_id="applications_bills")
    def get(self, request, reference: str):
        application = application_for_key(request, reference)
        bills = (payment_selectors.invoice_list_for_application(application=application)
                 .prefetch_related("payments"))
        return Response(BillOut(bills, many=True).data)


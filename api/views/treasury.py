"""The treasury's books for the finance system and the auditors: the ledger entries, the
closed days with their STS numbers, and a closed day's SIPKD file. Read only."""

from datetime import date

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.base import ApiView
from api.errors import ApiError
from api.pagination import PAGE_PARAMETERS, Pages, PagesByDay
from api.renderers import CsvRenderer
from api.schema import paged
from api.scopes import Scope
from api.serializers import DailyCloseOut, LedgerEntryOut
from treasury.models import DailyClose, LedgerEntry
from treasury.sipkd import daily_close_export, daily_close_filename

DAY = OpenApiParameter("day", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False,
                       description="Only the entries booked on this business day.")


def _day(value: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(status_code=400, code="invalid_date", message=_(
            "Give the day as YYYY-MM-DD.")) from None


def closed_day(day: str) -> DailyClose:
    return get_object_or_404(DailyClose, day=_day(day))


class LedgerList(ApiView):
    scope = Scope.TREASURY

    @extend_schema(responses=paged(LedgerEntryOut), operation_id="treasury_ledger",
                   parameters=[DAY, *PAGE_PARAMETERS])
    def get(self, request):
        entries = LedgerEntry.objects.select_related("permit_type", "invoice")
        if "day" in request.query_params:
            entries = entries.filter(book_day=_day(request.query_params["day"]))
        pages = Pages()
        page = pages.paginate_queryset(entries, request, view=self)
        return pages.get_paginated_response(LedgerEntryOut(page, many=True).data)


class DailyCloseList(ApiView):
    scope = Scope.TREASURY

    @extend_schema(responses=paged(DailyCloseOut), operation_id="treasury_daily_closes",
                   parameters=PAGE_PARAMETERS)
    def get(self, request):
        pages = PagesByDay()
        page = pages.paginate_queryset(DailyClose.objects.all(), request, view=self)
        return pages.get_paginated_response(DailyCloseOut(page, many=True).data)


class DailyCloseDetail(ApiView):
    scope = Scope.TREASURY

    @extend_schema(responses=DailyCloseOut, operation_id="treasury_daily_close")
    def get(self, request, day: str):
        return Response(DailyCloseOut(closed_day(day)).data)


class DailyCloseSipkd(ApiView):
    scope = Scope.TREASURY
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY)},
                   operation_id="treasury_daily_close_sipkd")
    def get(self, request, day: str):
        close = closed_day(day)
        response = HttpResponse(daily_close_export(close), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{daily_close_filename(close)}"'
        return response

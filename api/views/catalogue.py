"""The catalogue: the permit types open for applications, with their forms and documents."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from api.base import ApiView
from api.pagination import PAGE_PARAMETERS, PagesByCode
from api.schema import paged
from api.scopes import Scope
from api.serializers import PermitTypeDetailOut, PermitTypeOut
from licensing import selectors


class CatalogueList(ApiView):
    scope = Scope.CATALOGUE

    @extend_schema(responses=paged(PermitTypeOut), operation_id="catalogue_list",
                   parameters=PAGE_PARAMETERS)
    def get(self, request):
        pages = PagesByCode()
        page = pages.paginate_queryset(selectors.permit_type_list_public(), request, view=self)
        return pages.get_paginated_response(PermitTypeOut(page, many=True).data)


class CatalogueDetail(ApiView):
    scope = Scope.CATALOGUE

    @extend_schema(responses=PermitTypeDetailOut, operation_id="catalogue_get")
    def get(self, request, code: str):
        permit_type = selectors.permit_type_get_public(code=code)
        return Response(PermitTypeDetailOut(permit_type).data)

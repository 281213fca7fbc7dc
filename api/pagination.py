"""Lists are read a page at a time by keyset (a cursor), never by offset: the hundredth page
costs what the first does."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework.pagination import CursorPagination


class Pages(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-pk"


class PagesByCode(Pages):
    ordering = "code"


class PagesByDay(Pages):
    ordering = "-day"


PAGE_PARAMETERS = [
    OpenApiParameter("cursor", str, OpenApiParameter.QUERY, required=False,
                     description="The page, as given in `next` or `previous`."),
    OpenApiParameter("page_size", int, OpenApiParameter.QUERY, required=False,
                     description="Items per page, 1 to 100 (50 unless said)."),
]

"""One shape for every error the API answers: ``{"error": {"code", "message"}}``, the code
stable for programs, the message in the caller's language (``Accept-Language``: Indonesian
unless English is preferred)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from api import language
from documents.uploads import UploadRefused
from workflows.machine import TransitionRefused


class ApiError(exceptions.APIException):
    """An answer the API gives on purpose: its status, its code, its message."""

    def __init__(self, *, status_code: int, code: str, message):
        super().__init__(detail=str(message), code=code)
        self.status_code = status_code
        self.code = code
        self.message = str(message)


def body(code: str, message, **extra) -> dict:
    return {"error": {"code": code, "message": str(message), **extra}}


def _first_message(detail) -> str:
    """The first message of a serializer's errors, named by its field."""
    if isinstance(detail, dict):
        for field, value in detail.items():
            message = _first_message(value)
            return message if field == "non_field_errors" else f"{field}: {message}"
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


def _field_errors(detail) -> dict:
    if not isinstance(detail, dict):
        return {}
    return {field: [str(item) for item in (value if isinstance(value, list) else [value])]
            for field, value in detail.items()}


def exception_handler(exc, context):
    if isinstance(exc, ApiError):
        return Response(body(exc.code, exc.message), status=exc.status_code)
    if isinstance(exc, TransitionRefused):
        code = "forbidden" if exc.code == "permission_denied" else exc.code
        http = status.HTTP_403_FORBIDDEN if exc.code == "permission_denied" else 409
        return Response(body(code, exc.message), status=http)
    if isinstance(exc, UploadRefused):
        return Response(body("upload_refused", exc.message), status=400)
    if isinstance(exc, Http404 | exceptions.NotFound):
        return Response(body("not_found", _("Not found.")), status=404)
    if isinstance(exc, PermissionDenied | exceptions.PermissionDenied):
        return Response(body("forbidden", _("This API key may not do this.")), status=403)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        code = getattr(exc, "api_code", "not_authenticated")
        message = getattr(exc, "api_message", None) or _(
            "Send an API key: Authorization: Bearer <key>.")
        response = Response(body(code, message), status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    if isinstance(exc, exceptions.Throttled):
        response = Response(body("rate_limited", _(
            "Too many requests for this API key. Try again in %(seconds)s seconds.")
            % {"seconds": int(exc.wait or 1)}), status=429)
        response["Retry-After"] = str(int(exc.wait or 1))
        return response
    if isinstance(exc, exceptions.ValidationError):
        return Response(body("invalid", _first_message(exc.detail),
                             fields=_field_errors(exc.detail)), status=400)
    if isinstance(exc, exceptions.MethodNotAllowed):
        return Response(body("method_not_allowed", _("This method is not allowed here.")),
                        status=405)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return Response(body("unsupported_media_type",
                             _("Send JSON, or a multipart form for a file.")), status=415)
    if isinstance(exc, exceptions.NotAcceptable):
        return Response(body("not_acceptable", _("This answer is only given as JSON.")),
                        status=406)
    if isinstance(exc, exceptions.ParseError):
        return Response(body("malformed", _("The request body could not be read.")), status=400)
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = body("error", _first_message(response.data))
    return response


def not_found(request, *args, **kwargs):
    """A path under /api/ that names nothing: the API's 404, not the site's page."""
    language.activate_for(request)
    return JsonResponse(body("not_found", _("Not found.")), status=404)

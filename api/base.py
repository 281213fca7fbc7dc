"""The base of every API view: the key, its scope, its rate, the caller's language, JSON only,
and a record of the call."""

from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from api import language
from api.access import ApiKeyAuthentication, HasScope, PerKeyThrottle, request_key
from api.idempotency import answered_once
from api.models import ApiCall
from operations.requests import current as current_request_id

PATH_LIMIT = 300


class ApiView(APIView):
    scope: str = ""  # the scope the key needs (api.scopes.Scope)
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [PerKeyThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    def initial(self, request, *args, **kwargs):
        language.activate_for(request)
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        # Before authentication has run (a malformed header), the language is set here too.
        if not hasattr(self.request, "LANGUAGE_CODE"):
            language.activate_for(self.request)
        response = super().handle_exception(exc)
        # An error is JSON even where the answer would have been a PDF or a CSV file.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = request_key(request) if hasattr(request, "_authenticator") else None
        if key is not None:
            ApiCall.objects.create(
                key=key, method=request.method, path=request.path[:PATH_LIMIT],
                status_code=response.status_code, request_id=current_request_id.get(),
                idempotency_key=getattr(request, "idempotency_key", ""),
                replayed=getattr(request, "idempotent_replay", False),
            )
        response["Cache-Control"] = "private, no-store"
        return response


class CreateView(ApiView):
    """A view that takes POSTs: each answered once per ``Idempotency-Key`` (``create`` does the
    work)."""

    # Off only where doing it twice changes nothing anyway, for a caller that cannot send one.
    idempotency_key_required = True

    def post(self, request, *args, **kwargs):
        return answered_once(self, request, lambda: self.create(request, *args, **kwargs))

    def create(self, request, *args, **kwargs):
        raise NotImplementedError

"""What every API endpoint shares: secret-key auth, bracketed params, idempotency, error bodies,
and Stripe's response headers."""

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .errors import ApiError, AuthenticationFailed, IdempotencyConflict, InvalidRequest
from .events import Origin
from .formdata import MalformedKey, parse_form
from .models import IdempotentRequest, new_id
from .shapes import API_VERSION


@dataclass(frozen=True)
class ApiCall:
    http: HttpRequest
    params: dict
    origin: Origin


Result = dict | tuple[int, dict]


def stripe_endpoint(*methods: str):
    """Wrap a handler ``(call, **url_kwargs) -> body | (status, body)`` as a Stripe endpoint."""

    def decorate(handler: Callable[..., Result]):
        @csrf_exempt
        @wraps(handler)
        def view(request: HttpRequest, **kwargs):
            request_id = new_id("req_")
            key = request.headers.get("Idempotency-Key", "") if request.method == "POST" else ""
            replayed = False
            try:
                api_key = _authenticate(request)
                if request.method not in methods:
                    raise unrecognized(request)
                call = ApiCall(request, _params(request), Origin(request_id, key))

                def run() -> tuple[int, dict]:
                    result = handler(call, **kwargs)
                    return result if isinstance(result, tuple) else (200, result)

                if key:
                    status, body, replayed = _idempotent(api_key, key, call, run)
                else:
                    status, body = run()
            except ApiError as error:
                status, body = error.status, error.body()
            return _response(request, status, body, request_id=request_id, key=key,
                             replayed=replayed)

        return view

    return decorate


@csrf_exempt
def unknown_endpoint(request: HttpRequest, rest: str):
    try:
        _authenticate(request)
        error = unrecognized(request)
    except ApiError as failure:
        error = failure
    return _response(request, error.status, error.body(), request_id=new_id("req_"), key="",
                     replayed=False)


def unrecognized(request: HttpRequest) -> ApiError:
    path = request.path.split("/sandbox/stripe", 1)[-1]
    return ApiError(f"Unrecognized request URL ({request.method}: {path}).", status=404)


def _response(request, status: int, body: dict, *, request_id: str, key: str,
              replayed: bool) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Request-Id"] = request_id
    response["Stripe-Version"] = request.headers.get("Stripe-Version", API_VERSION)
    if key:
        response["Idempotency-Key"] = key
    if replayed:
        response["Idempotent-Replayed"] = "true"
    if status >= 400:
        # A conflict with a request still running, or the sandbox's own failure, may pass.
        response["Stripe-Should-Retry"] = "true" if status == 409 or status >= 500 else "false"
    return response


def _authenticate(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer":
        api_key = credentials.strip()
    elif scheme.lower() == "basic":
        try:
            api_key = base64.b64decode(credentials).decode().partition(":")[0]
        except (binascii.Error, UnicodeDecodeError):
            api_key = ""
    else:
        raise AuthenticationFailed(
            "You did not provide an API key. You need to provide your API key in the "
            "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
            "YOUR_SECRET_KEY')."
        )
    expected = settings.PAYMENT_SANDBOX_SECRET_KEY
    if not expected or not hmac.compare_digest(api_key.encode(), expected.encode()):
        shown = api_key[:8] + "*" * max(len(api_key) - 12, 0) + api_key[-4:]
        raise AuthenticationFailed(f"Invalid API Key provided: {shown}", code="api_key_invalid")
    return api_key


def _params(request: HttpRequest) -> dict:
    raw = request.body.decode() if request.method == "POST" else request.META.get(
        "QUERY_STRING", "")
    try:
        return parse_form(raw)
    except (MalformedKey, UnicodeDecodeError) as error:
        raise InvalidRequest(f"Invalid request body: {error}") from error


def _idempotent(api_key: str, key: str, call: ApiCall, run) -> tuple[int, dict, bool]:
    """Run once per (secret key, Idempotency-Key); replay the stored response afterwards.

    A request that fails validation (an ``ApiError`` raised) stores nothing, as at Stripe, so
    it may be corrected and sent again with the same key. Two at once meet at the unique index.
    """
    if len(key) > 255:
        raise InvalidRequest("Idempotency-Key must be at most 255 characters.",
                             param="idempotency_key")
    digest = hashlib.sha256(api_key.encode()).hexdigest()
    fingerprint = hashlib.sha256(
        json.dumps([call.http.method, call.http.path, call.params], sort_keys=True).encode()
    ).hexdigest()
    try:
        with transaction.atomic():
            record = IdempotentRequest.objects.create(
                api_key_digest=digest, key=key, fingerprint=fingerprint, status_code=0, body={}
            )
            status, body = run()
            record.status_code, record.body = status, body
            record.save(update_fields=["status_code", "body"])
            return status, body, False
    except IntegrityError:
        first = IdempotentRequest.objects.filter(api_key_digest=digest, key=key).first()
        if first is None:
            raise
    if first.fingerprint != fingerprint:
        raise IdempotencyConflict(
            "Keys for idempotent requests can only be used with the same parameters they were "
            f"first used with. Try using a key other than '{key}' if you meant to execute a "
            "different request."
        )
    return first.status_code, first.body, True

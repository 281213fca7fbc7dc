"""``Idempotency-Key`` on every POST, as the payment gateway has it: the first answer (success
or refusal) is kept; the same key with the same body gets it again, marked
``Idempotent-Replayed: true``; the same key with another body is refused (409). A server error
keeps nothing, so the caller may try again."""

import hashlib
import json

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework.renderers import JSONRenderer

from api.errors import ApiError
from api.models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _file_digest(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def fingerprint(request) -> str:
    """The method, the path and the body as read (JSON keys in order, files by their SHA-256):
    the same request however its JSON is spaced."""
    data = {key: request.data.getlist(key) for key in request.data} \
        if hasattr(request.data, "getlist") else request.data
    files = {name: [f"{item.name}:{_file_digest(item)}" for item in request.FILES.getlist(name)]
             for name in request.FILES}
    canonical = json.dumps({"method": request.method, "path": request.path, "data": data,
                            "files": files}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _key(request) -> str:
    key = request.headers.get(HEADER, "").strip()
    if not key:
        raise ApiError(status_code=400, code="idempotency_key_required", message=_(
            "Send an Idempotency-Key header with every POST: a new random value for each new "
            "request, the same one when you retry it."))
    if len(key) > MAX_KEY_LENGTH:
        raise ApiError(status_code=400, code="idempotency_key_invalid", message=_(
            "The Idempotency-Key is longer than 255 characters."))
    return key


def _replay(record: IdempotentRequest, fingerprint_now: str) -> HttpResponse:
    if record.fingerprint != fingerprint_now:
        raise ApiError(status_code=409, code="idempotency_key_reused", message=_(
            "This Idempotency-Key was used with a different request. Use a new key for a new "
            "request."))
    response = HttpResponse(bytes(record.body), status=record.status_code,
                            content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def answered_once(view, request, handler):
    """Run ``handler()`` once per key and body; its answer, kept, is every later answer."""
    if not view.idempotency_key_required and not request.headers.get(HEADER, "").strip():
        return handler()
    key = _key(request)
    fingerprint_now = fingerprint(request)
    request.idempotency_key = key
    with transaction.atomic():
        record, created = IdempotentRequest.objects.select_for_update().get_or_create(
            api_key=request.auth, key=key, defaults={"fingerprint": fingerprint_now})
        if not created:
            request.idempotent_replay = True
            return _replay(record, fingerprint_now)
        try:
            with transaction.atomic():  # a refusal undoes what the handler wrote, not the record
                response = handler()
        except Exception as exc:
            response = view.handle_exception(exc)
        if response.status_code >= 500:
            transaction.set_rollback(True)
            return response
        content = JSONRenderer().render(response.data) if response.data is not None else b""
        record.status_code = response.status_code
        record.body = content
        record.content_type = "application/json"
        record.save(update_fields=["status_code", "body", "content_type"])
    return response

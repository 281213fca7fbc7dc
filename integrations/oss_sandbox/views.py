"""The sandbox OSS's HTTP side: inqueryNIB (Izin asks about a NIB) and receiveLicenseStatus
(Izin tells it what became of a permit), answering in OSS's envelopes."""

import hmac
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import ReceivedLicenseStatus, RegistryBusiness
from .signature import signature_valid

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
RECORDED_HEADERS = ("Content-Type", "User-Agent", "Izin-Signature", "Izin-Event-Id",
                    "Izin-Event-Type")
STATUS_FIELDS = ("nib", "id_izin", "kd_izin", "kd_instansi", "kd_status", "tgl_status",
                 "nip_status", "nama_status", "keterangan")


def _limit(name: str) -> int:
    return ReceivedLicenseStatus._meta.get_field(name).max_length or MAX_BODY_BYTES


def _answer(root: str, kode: int, keterangan: str, data, *, status: int = 200) -> JsonResponse:
    return JsonResponse({root: {"kode": kode, "keterangan": keterangan, "dataNIB": data}},
                        status=status)


def _too_big(request) -> bool:
    length = request.headers.get("Content-Length") or "0"
    return not length.isdigit() or int(length) > MAX_BODY_BYTES


def _json_body(request) -> dict | None:
    if _too_big(request):
        return None
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt
@require_POST
def inquery_nib(request):
    root = "responinqueryNIB"
    key = settings.OSS_SANDBOX_API_KEY
    # OSS's `user_key`, which Django (as nginx) drops for its underscore: `user-key` here.
    if not key or not hmac.compare_digest(request.headers.get("user-key", ""), key):
        return _answer(root, 401, "User Akses Tidak Valid", [], status=401)
    body = _json_body(request)
    query = body.get("INQUERYNIB") if body else None
    nib = query.get("nib") if isinstance(query, dict) else None
    if not isinstance(nib, str) or not nib:
        return _answer(root, 400, "Data Parameter Salah", [], status=400)
    record = RegistryBusiness.objects.filter(nib=nib).first()
    if record is None:
        # As OSS: the call succeeded, the answer's own code says there is no such NIB.
        return _answer(root, 400, "Data NIB tidak ditemukan", [])
    return _answer(root, 200, "Sukses", record.data)


@csrf_exempt
@require_POST
def receive_license_status(request):
    root = "responreceiveLicenseStatus"
    if _too_big(request):
        return _answer(root, 413, "Data terlalu besar", {}, status=413)
    raw = request.body
    if not signature_valid(header=request.headers.get("Izin-Signature", ""), body=raw,
                           secret=settings.OSS_SANDBOX_SIGNING_SECRET):
        log.info("oss_sandbox_status_refused reason=signature")
        return _answer(root, 400, "Tanda tangan tidak valid", {}, status=400)
    body = _json_body(request)
    status = body.get("IZINSTATUS") if body else None
    if not isinstance(status, dict):
        return _answer(root, 400, "Data Parameter Salah", {}, status=400)
    fields = {name: str(status.get(name) or "")[:_limit(name)] for name in STATUS_FIELDS}
    try:
        with transaction.atomic():
            ReceivedLicenseStatus.objects.create(
                event_id=request.headers.get("Izin-Event-Id") or None, body=raw.decode(),
                headers={name: request.headers[name] for name in RECORDED_HEADERS
                         if name in request.headers},
                **fields,
            )
    except IntegrityError:
        pass  # the same event again (a redelivery): recorded once, taken again
    log.info("oss_sandbox_status_received id_izin=%s kd_status=%s", fields["id_izin"],
             fields["kd_status"])
    return _answer(root, 200, "Sukses", {})

"""The shape "oss_license_status": a permit's change of status as OSS's receiveLicenseStatus
takes it (``{"IZINSTATUS": {...}}``), so a subscription pointed at OSS tells the national
registry what the city did with a regional permit. Modelled on the published OSS RBA API
documentation (v4.3); the mapping and its reasons are in docs/integrations/oss.md.

Registered from ``integrations.apps`` for the permit topics only: events refuses a subscription
in this shape that asks for others.
"""

import json
from zoneinfo import ZoneInfo

from django.conf import settings

from events import topics
from events.models import Delivery
from events.shapes import Body, ShapeError
from licensing.models import Business, Permit

NAME = "oss_license_status"

# kd_status by topic, with its name in OSS's list (Lampiran 10, "Data kode status izin").
# OSS's list has codes for approval (50) and for a stop to the business's activity (70), none
# for a revocation, an expiry or a replacement by renewal: those three use codes the list
# leaves free (95, 96, 97), to be confirmed with the OSS integration desk before production
# (docs/integrations/oss.md). A reinstated permit is in force again: approved, as when issued.
KD_STATUS = {
    topics.PERMIT_ISSUED: ("50", "Disetujui"),
    topics.PERMIT_REINSTATED: ("50", "Disetujui"),
    topics.PERMIT_SUSPENDED: ("70", "Penghentian Sementara Kegiatan Berusaha"),
    topics.PERMIT_REVOKED: ("95", "Dicabut"),
    topics.PERMIT_EXPIRED: ("96", "Masa Berlaku Berakhir"),
    topics.PERMIT_RENEWED: ("97", "Diperpanjang"),
}
TOPICS = tuple(KD_STATUS)
# OSS's dates are the office's wall-clock time, "YYYY-MM-DD HH:MM:SS".
JAKARTA = ZoneInfo("Asia/Jakarta")


def _keterangan(topic: str, status_name: str, payload: dict) -> str:
    """The status in words, in Indonesian as OSS's readers read it."""
    if topic == topics.PERMIT_RENEWED:
        return f"{status_name}: digantikan oleh izin {payload.get('renewed_by_number', '')}."
    until = payload.get("valid_until") or "tanpa batas waktu"
    return f"{status_name}. Berlaku {payload.get('valid_from', '')} s.d. {until}."


def license_status(delivery: Delivery) -> Body:
    event = delivery.event
    if event.topic not in KD_STATUS or event.object_type != "permit":
        raise ShapeError(f"OSS takes permit statuses, not {event.topic!r}.")
    if not settings.OSS_KD_INSTANSI:
        raise ShapeError("OSS_KD_INSTANSI (the office's code in OSS) is not set.")
    payload = event.payload
    nib = (Business.objects.filter(pk=payload.get("business_id"))
           .values_list("nib", flat=True).first())
    permit = (Permit.objects.select_related("permit_type", "signer")
              .filter(pk=event.object_id).first())
    if nib is None or permit is None:
        raise ShapeError(f"Permit {event.object_id} or its holder is gone.")
    kd_status, status_name = KD_STATUS[event.topic]
    body = {"IZINSTATUS": {
        "nib": nib,
        "id_izin": payload.get("number") or permit.number,
        "kd_izin": permit.permit_type.code,
        "kd_instansi": settings.OSS_KD_INSTANSI,
        "kd_status": kd_status,
        "tgl_status": event.occurred_at.astimezone(JAKARTA).strftime("%Y-%m-%d %H:%M:%S"),
        # The official who signed the permit answers for it at the office; the event does not
        # say who suspended or revoked it (the audit trail does).
        "nip_status": permit.signer.nip,
        "nama_status": permit.signer.name[:50],  # OSS takes 50 characters
        "keterangan": _keterangan(event.topic, status_name, payload),
    }}
    return Body("application/json; charset=utf-8",
                json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())

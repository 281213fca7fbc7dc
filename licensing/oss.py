"""OSS (Online Single Submission), the national business registry, as licensing sees it.

What OSS sends under ``dataNIB`` (its receiveNIB call, and the answer to inqueryNIB) becomes a
``NibRecord`` (``nib_record_parse``, ``nib_record_from_data``); ``business_from_oss`` creates or
updates the Business from it; ``nib_inquiry`` asks OSS about a NIB someone typed. The shapes are
modelled on the published OSS RBA API documentation (v4.3): docs/integrations/oss.md.

OSS is the authority on a NIB's identity (name, NPWP, address, KBLI codes, the person
responsible); who acts for the business here stays Izin's, and a NIB under dispute here
(``licensing.claims``) is never overwritten without the office knowing.
"""

import json
import logging
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from licensing.models import Business, NibClaim, NibClaimState
from licensing.validators import digits_only
from workflows import machine

logger = logging.getLogger("izin.licensing")

# Bounds on what Izin reads from OSS, well above what a real business sends (a few projects,
# a few people), well below what would make a request slow or a row huge.
MAX_BODY_BYTES = 256 * 1024
MAX_LIST_ITEMS = 200
MAX_KBLI_CODES = 50
# OSS's own field lengths (the documentation's string(n)); the model fields hold them.
LIMITS = {"nama_perseroan": 255, "alamat_perseroan": 255, "rt_rw_perseroan": 7,
          "kelurahan_perseroan": 50, "nama_penanggung_jwb": 500, "jabatan_penanggung_jwb": 250}


class OssRecordInvalid(Exception):
    """What OSS sent is not a business identity Izin can take. ``code`` is stable (for the
    API's answer and for tests); ``message`` is for people; ``field`` names OSS's field."""

    def __init__(self, code: str, message: str, *, field: str = ""):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.field = field


class OssRecordRefused(Exception):
    """A valid record Izin will not apply now: the business is frozen or its NIB disputed
    here, and the office decides first. ``code``: ``business_frozen`` or ``nib_disputed``."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class OssUnavailable(Exception):
    """OSS could not be asked, or answered something that is not an answer (network error,
    timeout, 5xx, a refused key, garbage). Not "unknown NIB": that is ``None``."""


@dataclass(frozen=True)
class NibRecord:
    """A business identity as OSS holds it."""

    nib: str
    legal_name: str
    npwp: str
    street_address: str
    kelurahan: str  # empty when OSS did not say
    kbli_codes: tuple[str, ...]
    person_name: str  # the person responsible (penanggung jawab)
    person_role: str


# Reading what OSS sends.


def nib_record_parse(body) -> NibRecord:
    """A receiveNIB body, ``{"dataNIB": {...}}``, already decoded from JSON."""
    if not isinstance(body, dict) or not isinstance(body.get("dataNIB"), dict):
        raise OssRecordInvalid("invalid_body", _("The body must be an object with dataNIB."))
    return nib_record_from_data(body["dataNIB"])


def nib_record_from_data(data: dict) -> NibRecord:
    """The ``dataNIB`` object itself, as receiveNIB and inqueryNIB both carry it."""
    if not isinstance(data, dict):
        raise OssRecordInvalid("invalid_body", _("dataNIB must be an object."))
    nib = digits_only(_text(data, "nib", limit=30))
    if len(nib) != 13 or not nib.isdigit():
        raise OssRecordInvalid("invalid_nib", _("NIB must be exactly 13 digits."), field="nib")
    npwp = digits_only(_text(data, "npwp_perseroan", limit=30))
    if len(npwp) not in (15, 16) or not npwp.isdigit():
        raise OssRecordInvalid("invalid_npwp", _("NPWP must be 15 or 16 digits."),
                               field="npwp_perseroan")
    legal_name = _required(data, "nama_perseroan", "legal_name_missing",
                           _("The legal name (nama_perseroan) is missing."))
    street = _required(data, "alamat_perseroan", "address_missing",
                       _("The address (alamat_perseroan) is missing."))
    if rt_rw := _text(data, "rt_rw_perseroan", limit=LIMITS["rt_rw_perseroan"]):
        street = f"{street}, RT/RW {rt_rw}"
    person_name, person_role = _person(data)
    return NibRecord(
        nib=nib, legal_name=legal_name, npwp=npwp, street_address=street,
        kelurahan=_text(data, "kelurahan_perseroan", limit=LIMITS["kelurahan_perseroan"]),
        kbli_codes=_kbli_codes(data), person_name=person_name, person_role=person_role,
    )


def _text(data: dict, key: str, *, limit: int) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise OssRecordInvalid("invalid_type", _("%(field)s must be text.") % {"field": key},
                               field=key)
    text = " ".join(str(value).split())
    if len(text) > limit:
        raise OssRecordInvalid(
            "too_long", _("%(field)s is longer than %(limit)s characters.")
            % {"field": key, "limit": limit}, field=key)
    return text


def _required(data: dict, key: str, code: str, message: str) -> str:
    text = _text(data, key, limit=LIMITS[key])
    if not text:
        raise OssRecordInvalid(code, message, field=key)
    return text


def _items(data: dict, key: str) -> list[dict]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise OssRecordInvalid("invalid_type", _("%(field)s must be a list of objects.")
                               % {"field": key}, field=key)
    if len(value) > MAX_LIST_ITEMS:
        raise OssRecordInvalid("too_many_items", _("%(field)s has more than %(limit)s items.")
                               % {"field": key, "limit": MAX_LIST_ITEMS}, field=key)
    return value


def _kbli(value, field: str) -> str:
    # OSS types the project's code as a number, which drops the leading zero of farming codes
    # (01111); as text it may come with dots.
    if isinstance(value, int) and not isinstance(value, bool):
        code = str(value).zfill(5)
    elif isinstance(value, str):
        code = digits_only(value.strip())
    else:
        code = ""
    if len(code) != 5 or not code.isdigit():
        raise OssRecordInvalid("invalid_kbli", _("KBLI code %(code)s must be 5 digits.")
                               % {"code": str(value)[:20]}, field=field)
    return code


def _kbli_codes(data: dict) -> tuple[str, ...]:
    """The codes of the business's projects (``data_proyek``), or of its deed's list
    (``data_kbli``, where ``kbli5`` is the code and ``kbli`` may be prose), once each."""
    codes = [_kbli(item.get("kbli"), "data_proyek.kbli")
             for item in _items(data, "data_proyek") if item.get("kbli") not in (None, "")]
    for item in _items(data, "data_kbli"):
        value = item.get("kbli5") if item.get("kbli5") not in (None, "") else item.get("kbli")
        if value not in (None, ""):
            codes.append(_kbli(value, "data_kbli.kbli5"))
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise OssRecordInvalid("kbli_missing", _("There is no KBLI code (data_proyek.kbli)."),
                               field="data_proyek")
    if len(codes) > MAX_KBLI_CODES:
        raise OssRecordInvalid("too_many_items", _("More than %(limit)s KBLI codes.")
                               % {"limit": MAX_KBLI_CODES}, field="data_proyek")
    return tuple(codes)


def _person(data: dict) -> tuple[str, str]:
    """The first person responsible that OSS names; their identity number stays with OSS."""
    for item in _items(data, "penanggung_jwb"):
        name = _text(item, "nama_penanggung_jwb", limit=LIMITS["nama_penanggung_jwb"])
        if name:
            return name, _text(item, "jabatan_penanggung_jwb",
                               limit=LIMITS["jabatan_penanggung_jwb"])
    raise OssRecordInvalid("person_missing",
                           _("There is no person responsible (penanggung_jwb)."),
                           field="penanggung_jwb")


# Applying a record.


def _fields(record: NibRecord) -> dict:
    fields = {"legal_name": record.legal_name, "npwp": record.npwp,
              "street_address": record.street_address, "kbli_codes": list(record.kbli_codes),
              "responsible_person_name": record.person_name,
              "responsible_person_role": record.person_role}
    if record.kelurahan:
        # The kelurahan the owner or the counter gave stays when OSS names none.
        fields["kelurahan"] = record.kelurahan
    return fields


def _refuse_if_disputed(business: Business) -> None:
    if business.is_frozen:
        raise OssRecordRefused("business_frozen", _(
            "The business with this NIB is frozen while the office checks who owns it; OSS's "
            "data is applied once the office lifts the freeze."))
    if NibClaim.objects.filter(business=business, state=NibClaimState.OPEN).exists():
        raise OssRecordRefused("nib_disputed", _(
            "Someone has claimed the business with this NIB and the office is checking; OSS's "
            "data is applied once the office has decided."))


def _create(record: NibRecord, now) -> Business | None:
    """The new business; None when another request created the NIB at the same moment."""
    business = Business(nib=record.nib, oss_received_at=now, **_fields(record))
    try:
        business.full_clean()
    except ValidationError as error:
        if "nib" in error.message_dict and Business.objects.filter(nib=record.nib).exists():
            return None
        raise OssRecordInvalid("invalid_record", " ".join(error.messages)) from None
    try:
        with transaction.atomic():
            business.save()
    except IntegrityError:
        return None
    return business


def business_from_oss(*, record: NibRecord, actor=None) -> tuple[Business, bool]:
    """Create or update the business OSS sent; ``(business, created)``.

    ``actor``: who delivered it (the API key's user), named in the audit trail.
    An update changes what OSS is the authority on and nothing else: members, state and the
    kecamatan stay. A frozen business or a disputed NIB is refused (``OssRecordRefused``):
    the office decides the dispute before OSS's data changes what it is looking at.
    """
    now = timezone.now()
    with transaction.atomic():
        business = Business.objects.select_for_update().filter(nib=record.nib).first()
        if business is None and (business := _create(record, now)) is not None:
            machine.audit_record(instance=business, action="oss_create", actor=actor,
                                 note="OSS receiveNIB")
            logger.info("business_from_oss business_id=%s created=True", business.pk)
            return business, True
        if business is None:
            # Created by a concurrent request a moment ago: update it as if it had been here.
            business = Business.objects.select_for_update().get(nib=record.nib)
        _refuse_if_disputed(business)
        changed = [name for name, value in _fields(record).items()
                   if getattr(business, name) != value]
        for name in changed:
            setattr(business, name, _fields(record)[name])
        business.oss_received_at = now
        if changed:
            try:
                business.full_clean(exclude=["nib"])
            except ValidationError as error:
                raise OssRecordInvalid("invalid_record", " ".join(error.messages)) from None
        business.save(update_fields=[*changed, "oss_received_at"])
        if changed:
            # Which fields, not their values: the trail is kept for ever and shown to staff.
            machine.audit_record(instance=business, action="oss_update", actor=actor,
                                 note="OSS receiveNIB: " + ", ".join(changed))
    logger.info("business_from_oss business_id=%s created=False changed=%s", business.pk,
                ",".join(changed) or "-")
    return business, False


# Asking OSS.

MAX_RESPONSE_BYTES = 256 * 1024
NOT_FOUND_CODES = {"400", "404"}  # OSS answers "Data NIB tidak ditemukan" with kode 400


def inquiry_enabled() -> bool:
    return bool(settings.OSS_BASE_URL)


def _read_bounded(response: requests.Response) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_content(chunk_size=16 * 1024):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise OssUnavailable("response too large")
        chunks.append(chunk)
    return b"".join(chunks)


def _unavailable(reason: str) -> OssUnavailable:
    logger.warning("oss_inquiry_failed reason=%s", reason)
    return OssUnavailable(reason)


def nib_inquiry(nib: str) -> NibRecord | None:
    """What OSS holds for the NIB (its inqueryNIB), None when OSS does not know it.

    Raises ``OssUnavailable`` when OSS could not say (switched off, down, slow, a refused key,
    an answer that is not one): callers decide what that means for the person waiting.
    """
    if not inquiry_enabled():
        raise OssUnavailable("OSS_BASE_URL is not set")
    url = settings.OSS_BASE_URL.rstrip("/") + "/inqueryNIB"
    key = settings.OSS_API_KEY or ""
    try:
        with requests.post(
            url, json={"INQUERYNIB": {"nib": nib}},
            # OSS's gateway reads `user_key`; servers that drop headers with an underscore (as
            # Django's and nginx's do by default, so the sandbox's) read it as `user-key`.
            headers={"user_key": key, "user-key": key, "Accept": "application/json",
                     "User-Agent": "Izin/1.0 (oss)"},
            timeout=(settings.OSS_CONNECT_TIMEOUT_SECONDS, settings.OSS_READ_TIMEOUT_SECONDS),
            allow_redirects=False, stream=True,
        ) as response:
            status, raw = response.status_code, _read_bounded(response)
    except requests.RequestException as exc:
        raise _unavailable(type(exc).__name__) from exc
    if status >= 500 or status in (401, 403):
        raise _unavailable(f"http_{status}")
    try:
        envelope = json.loads(raw)["responinqueryNIB"]
        code, data = str(envelope.get("kode")), envelope.get("dataNIB")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _unavailable(f"not_an_answer http_{status}") from None
    if code in NOT_FOUND_CODES and not data and status in (200, 400, 404):
        logger.info("oss_inquiry nib_known=False")
        return None
    if status != 200 or code != "200" or not isinstance(data, dict):
        raise _unavailable(f"unexpected http_{status} kode_{code[:10]}")
    try:
        record = nib_record_from_data(data)
    except OssRecordInvalid as invalid:
        raise _unavailable(f"record_invalid {invalid.code}") from None
    if record.nib != nib:
        raise _unavailable("another_nib")
    logger.info("oss_inquiry nib_known=True")
    return record

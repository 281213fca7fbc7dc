"""The offline token in the QR code: what an inspector's app checks without a network.

Format 2, issued now (an app mirrors :func:`offline_verify`): base32 (RFC 4648, upper case, no
padding) of ``<payload><signature>``. Upper-case base32 is in the QR code's alphanumeric set, so
the code stores it at 5.5 bits a character instead of 8, a smaller code than base64url would
need. The payload, big-endian:

=======  ==========================================================================
bytes    what
=======  ==========================================================================
1        format version, 2 (a format-1 token starts with ``{``: no payload reads as both)
2        valid from, days since 1970-01-01
2        valid until, days since 1970-01-01; 0 when the permit does not expire
32       SHA-256 of the permit's printed content
1 + n    the holder's NIB, its length in bytes then UTF-8
rest     the permit number, UTF-8
=======  ==========================================================================

and the last 64 bytes are the Ed25519 signature over the payload. :func:`offline_verify` returns
the same claims for both formats: ``v`` format version, ``n`` permit number, ``b`` holder's NIB,
``f`` and ``u`` valid from and until (ISO dates, ``u`` null when the permit does not expire),
``h`` the content's SHA-256 (base64url).

Format 1, in the QR codes of permits issued before (still accepted): ``<payload>.<signature>``,
both base64url without padding; the payload is compact JSON with sorted keys carrying those
claims, ``v`` 1. The PDF's own hash cannot be in either: the QR is inside the PDF.
"""

import base64
import binascii
import json
import struct
from datetime import date, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from documents import dev_ca
from documents.signing import SigningUnavailable

VERSION = 2
LEGACY_VERSION = 1  # JSON in base64url: the QR codes of permits issued before format 2
EPOCH = date(1970, 1, 1)
_FIXED = struct.Struct(">BHH32s")  # version, valid from, valid until, content digest
SIGNATURE_BYTES = 64
# Far longer than any token Izin issues (~230 characters): anything past it is not one.
MAX_TOKEN_CHARS = 2048


class TokenInvalid(Exception):
    """The token is malformed, altered, or signed by another key."""


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _days(value: date) -> int:
    return (value - EPOCH).days


def _payload(*, number: str, nib: str, valid_from: date, valid_until: date | None,
             content_sha256: bytes) -> bytes:
    nib_bytes = nib.encode()
    return (_FIXED.pack(VERSION, _days(valid_from), _days(valid_until) if valid_until else 0,
                        content_sha256)
            + bytes([len(nib_bytes)]) + nib_bytes + number.encode())


def token_sign(*, number: str, nib: str, valid_from: date, valid_until: date | None,
               content_sha256: bytes, private_key: Ed25519PrivateKey) -> str:
    """A format-2 token: what the permit's QR code carries."""
    payload = _payload(number=number, nib=nib, valid_from=valid_from, valid_until=valid_until,
                       content_sha256=content_sha256)
    return base64.b32encode(payload + private_key.sign(payload)).decode("ascii").rstrip("=")


def _claims(payload: bytes) -> dict:
    version, valid_from, valid_until, digest = _FIXED.unpack_from(payload)
    if version != VERSION:
        raise TokenInvalid("unknown token version")
    nib_length = payload[_FIXED.size]
    nib_end = _FIXED.size + 1 + nib_length
    if nib_end > len(payload):
        raise TokenInvalid("malformed token")
    return {
        "v": VERSION, "n": payload[nib_end:].decode(),
        "b": payload[_FIXED.size + 1:nib_end].decode(),
        "f": (EPOCH + timedelta(days=valid_from)).isoformat(),
        "u": (EPOCH + timedelta(days=valid_until)).isoformat() if valid_until else None,
        "h": _encode(digest),
    }


def _verify(public_key: Ed25519PublicKey, signature: bytes, payload: bytes) -> None:
    try:
        public_key.verify(signature, payload)
    except InvalidSignature as error:
        raise TokenInvalid("signature does not match") from error


def _legacy_verify(token: str, public_key: Ed25519PublicKey) -> dict:
    try:
        payload_part, signature_part = token.split(".")
        payload, signature = _decode(payload_part), _decode(signature_part)
    except (ValueError, binascii.Error) as error:
        raise TokenInvalid("malformed token") from error
    _verify(public_key, signature, payload)
    try:
        # A format-2 payload is signed too: only JSON of format 1 is read as format 1.
        claims = json.loads(payload)
    except ValueError as error:
        raise TokenInvalid("malformed token") from error
    if not isinstance(claims, dict) or claims.get("v") != LEGACY_VERSION:
        raise TokenInvalid("unknown token version")
    return claims


def offline_verify(token: str, public_key: Ed25519PublicKey) -> dict:
    """The token's claims, or ``TokenInvalid``; either format. Pure: no clock, no network, no
    database."""
    if len(token) > MAX_TOKEN_CHARS:
        raise TokenInvalid("malformed token")
    if "." in token:
        return _legacy_verify(token, public_key)
    try:
        raw = base64.b32decode(token + "=" * (-len(token) % 8))
    except (ValueError, binascii.Error) as error:
        raise TokenInvalid("malformed token") from error
    if len(raw) < _FIXED.size + 1 + SIGNATURE_BYTES:
        raise TokenInvalid("malformed token")
    payload, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    _verify(public_key, signature, payload)
    try:
        return _claims(payload)
    except UnicodeDecodeError as error:
        raise TokenInvalid("malformed token") from error


def private_key() -> Ed25519PrivateKey:
    """Production reads the key from VERIFY_TOKEN_KEY_PATH; elsewhere the development key.
    Without it no permit is rendered: a QR code without its token would be published for good."""
    path = settings.VERIFY_TOKEN_KEY_PATH or Path(settings.SIGNING_DEV_DIR) / dev_ca.TOKEN_KEY
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError) as error:
        raise SigningUnavailable(f"offline-token key unreadable: {type(error).__name__}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningUnavailable("the offline-token key is not an Ed25519 key")
    return key


def public_key_pem() -> bytes:
    return private_key().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )

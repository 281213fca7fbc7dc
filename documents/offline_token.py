"""The offline token in the QR code: what an inspector's app checks without a network.

Format (an app mirrors :func:`offline_verify`): ``<payload>.<signature>``, both base64url without
padding. The payload is compact JSON with sorted keys: ``v`` format version (1), ``n`` permit
number, ``b`` holder's NIB, ``f`` valid from and ``u`` valid until (ISO dates, ``u`` null when the
permit does not expire), ``h`` SHA-256 of the permit's printed content (base64url). The signature
is Ed25519 over the payload bytes. The PDF's own hash cannot be in it: the QR is inside the PDF.
"""

import base64
import binascii
import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from documents import dev_ca
from documents.signing import SigningUnavailable

VERSION = 1


class TokenInvalid(Exception):
    """The token is malformed, altered, or signed by another key."""


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def digest_encode(digest: bytes) -> str:
    return _encode(digest)


def token_sign(claims: dict, private_key: Ed25519PrivateKey) -> str:
    payload = json.dumps({"v": VERSION, **claims}, separators=(",", ":"), sort_keys=True,
                         ensure_ascii=False).encode()
    return f"{_encode(payload)}.{_encode(private_key.sign(payload))}"


def offline_verify(token: str, public_key: Ed25519PublicKey) -> dict:
    """The token's claims, or ``TokenInvalid``. Pure: no clock, no network, no database."""
    try:
        payload_part, signature_part = token.split(".")
        payload, signature = _decode(payload_part), _decode(signature_part)
    except (ValueError, binascii.Error) as error:
        raise TokenInvalid("malformed token") from error
    try:
        public_key.verify(signature, payload)
    except InvalidSignature as error:
        raise TokenInvalid("signature does not match") from error
    claims = json.loads(payload)
    if claims.get("v") != VERSION:
        raise TokenInvalid("unknown token version")
    return claims


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

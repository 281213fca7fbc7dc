"""Step four of a PDF: a PAdES signature by the office, certifying the document.

The signature certifies the document with "no changes allowed" (DocMDP), so any later edit,
even one that keeps the signed bytes, breaks it in every validator.
"""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path

from django.conf import settings

from documents import dev_ca

logger = logging.getLogger("izin.documents")


class SigningUnavailable(Exception):
    """The signing key cannot be loaded or used; nothing was signed."""


def _load_signer():
    from pyhanko.sign import signers

    if settings.SIGNING_PKCS12_PATH:
        signer = signers.SimpleSigner.load_pkcs12(
            settings.SIGNING_PKCS12_PATH,
            passphrase=(settings.SIGNING_PKCS12_PASSPHRASE or "").encode() or None,
        )
        where = "pkcs12"
    else:
        folder = Path(settings.SIGNING_DEV_DIR)
        signer = signers.SimpleSigner.load(
            str(folder / dev_ca.SIGNER_KEY), str(folder / dev_ca.SIGNER_CERT),
            ca_chain_files=(str(folder / dev_ca.CA_CERT),),
        )
        where = "development"
    if signer is None:
        # pyHanko logs the cause and returns None; the passphrase never reaches a log of ours.
        raise SigningUnavailable(f"the {where} signing key could not be loaded")
    return signer


def signing_key_check() -> None:
    """The office's signing key loads; raises otherwise (never with a secret in the error)."""
    _outside_event_loop(_load_signer)


def _outside_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous API starts an asyncio loop of its own, which cannot happen on a
    thread already running one (an async server, a test's live server): use a fresh thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    """The PDF, signed and certified by the office (with a trusted time when a TSA is set)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata

    try:
        signer = _load_signer()
    except (OSError, ValueError) as error:
        raise SigningUnavailable(f"signing key unreadable: {type(error).__name__}") from error
    metadata = PdfSignatureMetadata(
        field_name="Signature",
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    timestamper = (
        timestamps.HTTPTimeStamper(settings.SIGNING_TSA_URL) if settings.SIGNING_TSA_URL else None
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    try:
        output = _outside_event_loop(
            signers.sign_pdf, writer, metadata, signer=signer, timestamper=timestamper
        )
    except Exception as error:
        # A time-stamping authority down or a key refusing to sign: retry later, publish nothing.
        raise SigningUnavailable(f"signing failed: {type(error).__name__}") from error
    return output.getvalue()

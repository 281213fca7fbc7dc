"""What pyHanko says about a signed PDF, checked against the office's trust root."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from documents import dev_ca


@dataclass(frozen=True)
class SignatureReport:
    intact: bool  # the signed bytes hash to what was signed
    valid: bool  # the signature over that hash checks out with the certificate's key
    trusted: bool  # the certificate chains to the trust root
    modification_level: str  # what changed after signing: "NONE" for an untouched document
    docmdp_ok: bool  # the changes (if any) are ones the certification allows

    @property
    def holds(self) -> bool:
        return self.intact and self.valid and self.trusted and self.docmdp_ok


def trust_roots() -> list:
    """The certificates a permit's signature must chain to: the bundle named by
    ``SIGNING_TRUST_ROOTS_PATH`` (production requires it); else, on a developer's machine, the
    CA certificates inside the office's PKCS#12 file, or the development CA. Production settings
    clear ``SIGNING_DEV_DIR``, so the development CA is never trusted there.

    Raises ``ImproperlyConfigured`` rather than return no roots: an empty list would report every
    genuine permit as signed by a stranger."""
    from asn1crypto import x509
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
    from pyhanko.keys import load_cert_from_pemder, load_certs_from_pemder

    if settings.SIGNING_TRUST_ROOTS_PATH:
        roots = list(load_certs_from_pemder([settings.SIGNING_TRUST_ROOTS_PATH]))
        where = "SIGNING_TRUST_ROOTS_PATH"
    elif settings.SIGNING_PKCS12_PATH:
        _key, _certificate, chain = pkcs12.load_key_and_certificates(
            Path(settings.SIGNING_PKCS12_PATH).read_bytes(),
            (settings.SIGNING_PKCS12_PASSPHRASE or "").encode() or None)
        roots = [x509.Certificate.load(ca.public_bytes(Encoding.DER)) for ca in chain]
        where = "the PKCS#12 file"
    elif settings.SIGNING_DEV_DIR:
        return [load_cert_from_pemder(str(Path(settings.SIGNING_DEV_DIR) / dev_ca.CA_CERT))]
    else:
        raise ImproperlyConfigured("Set SIGNING_TRUST_ROOTS_PATH: no trust roots for signatures.")
    if not roots:
        raise ImproperlyConfigured(f"No CA certificate in {where}: no trust roots for signatures.")
    return roots


def validate_pdf(pdf: bytes, *, roots: list | None = None) -> list[SignatureReport]:
    """One report per embedded signature (none for an unsigned PDF), checked against ``roots``
    (default: ``trust_roots()``)."""
    # pyHanko's synchronous API starts an event loop of its own, which it cannot do in a thread
    # already running one (an async server; a browser-driving test): there, a thread of its own.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _validate(pdf, roots)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_validate, pdf, roots).result()


def _validate(pdf: bytes, roots: list | None) -> list[SignatureReport]:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=trust_roots() if roots is None else roots)
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    reports = []
    for signature in reader.embedded_signatures:
        status = validate_pdf_signature(signature, context)
        reports.append(SignatureReport(
            intact=status.intact, valid=status.valid, trusted=status.trusted,
            modification_level=status.modification_level.name
            if status.modification_level is not None else "UNKNOWN",
            docmdp_ok=bool(status.docmdp_ok),
        ))
    return reports

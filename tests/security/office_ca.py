"""A throwaway certificate chain shaped like an office's real one (a root, an intermediate CA,
the office's signing certificate) that has nothing to do with the development CA."""

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = "office-passphrase"  # a throwaway test key


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test National CA"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _usage(*, sign_certificates: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not sign_certificates, content_commitment=not sign_certificates,
        key_encipherment=False, data_encipherment=False, key_agreement=False,
        key_cert_sign=sign_certificates, crl_sign=sign_certificates, encipher_only=False,
        decipher_only=False)


def _certificate(*, subject, issuer, public_key, issuer_key, ca: bool, path_length=None):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(issuer.subject if issuer else subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
        .add_extension(_usage(sign_certificates=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            issuer_key.public_key()), critical=False)
    )
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def office_chain(folder: Path) -> tuple[Path, Path]:
    """Write the office's PKCS#12 (its key, its certificate, the intermediate) and the root's
    PEM; return both paths."""
    root_key, intermediate_key, office_key = (ec.generate_private_key(ec.SECP256R1())
                                              for _ in range(3))
    root = _certificate(subject=_name("Test Root CA"), issuer=None,
                        public_key=root_key.public_key(), issuer_key=root_key, ca=True,
                        path_length=1)
    intermediate = _certificate(subject=_name("Test Signing CA"), issuer=root,
                                public_key=intermediate_key.public_key(), issuer_key=root_key,
                                ca=True, path_length=0)
    office = _certificate(subject=_name("DPMPTSP Kota Pekanbaru"), issuer=intermediate,
                          public_key=office_key.public_key(), issuer_key=intermediate_key,
                          ca=False)
    folder.mkdir(parents=True, exist_ok=True)
    p12, roots = folder / "office.p12", folder / "roots.pem"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"office", office_key, office, [intermediate],
        BestAvailableEncryption(PASSPHRASE.encode())))
    roots.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return p12, roots

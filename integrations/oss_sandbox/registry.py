"""The sandbox registry's businesses, and sending one to Izin as OSS's receiveNIB does."""

from dataclasses import dataclass

import requests

from .models import RegistryBusiness

TIMEOUT = (5, 15)  # connect, read: Izin answers at once, or it is down


def data_nib(*, nib: str, legal_name: str, npwp: str, address: str, kbli_codes: list[str],
             person_name: str, person_role: str = "Direktur", kelurahan: str = "",
             rt_rw: str = "") -> dict:
    """A ``dataNIB`` object as OSS fills it in, with the fields Izin reads and a few it does
    not (OSS sends some hundred; a receiver must take what it does not know)."""
    return {
        "nib": nib, "tgl_terbit_nib": "2024-01-15", "oss_id": f"P-{nib}",
        "jenis_pelaku_usaha": "10", "status_penanaman_modal": "PMDN",
        "npwp_perseroan": npwp, "nama_perseroan": legal_name, "alamat_perseroan": address,
        "rt_rw_perseroan": rt_rw, "kelurahan_perseroan": kelurahan,
        "perseroan_daerah_id": "1471", "skala_usaha": "01",
        "data_proyek": [{"id_proyek": f"R-{nib}-{index}", "kbli": code, "sektor": "",
                         "uraian_usaha": ""} for index, code in enumerate(kbli_codes, 1)],
        "penanggung_jwb": [{"flag_asing": "N", "jns_identitas_penanggung_jwb": "01",
                            "no_identitas_penanggung_jwb": "1471010101800001",
                            "nama_penanggung_jwb": person_name,
                            "jabatan_penanggung_jwb": person_role}],
    }


def registry_add(**fields) -> RegistryBusiness:
    """Put a business in the sandbox registry (or replace it): ``data_nib``'s arguments."""
    record, _created = RegistryBusiness.objects.update_or_create(
        nib=fields["nib"], defaults={"data": data_nib(**fields)})
    return record


@dataclass(frozen=True)
class Sent:
    status_code: int
    body: dict | str  # the answer, decoded when it is JSON


def send_nib(*, nib: str, url: str, api_key: str) -> Sent:
    """POST the registry's record of ``nib`` to Izin's receiveNIB endpoint, ``{"dataNIB":
    {...}}``, with Izin's API key (scope "oss") as a bearer token."""
    record = RegistryBusiness.objects.get(nib=nib)
    response = requests.post(url, json={"dataNIB": record.data}, timeout=TIMEOUT,
                             headers={"Authorization": f"Bearer {api_key}",
                                      "User-Agent": "OSS-sandbox/1.0"},
                             allow_redirects=False)
    try:
        body = response.json()
    except ValueError:
        body = response.text[:2000]
    return Sent(status_code=response.status_code, body=body)

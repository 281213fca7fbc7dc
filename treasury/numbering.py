"""STS numbers: the deposit summary (Surat Tanda Setoran) of each closed business day, from one
gap-free sequence per year (``licensing.services.sequence_next`` with the key ``sts``), given in
the close's own transaction so a refused or rolled-back close gives its number back."""

SEQUENCE_KEY = "sts"


def sts_number(*, year: int, seq: int) -> str:
    """STS/2026/000123, like the SKRD's number (``payments.numbering``)."""
    return f"STS/{year}/{seq:06d}"

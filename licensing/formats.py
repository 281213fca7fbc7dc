"""How Izin writes things for people, the same on pages, PDFs, e-mail and error messages."""


def rupiah(amount) -> str:
    """Whole rupiah as Indonesians write it: Rp 1.500.000."""
    if amount is None or amount == "":
        return ""
    return "Rp " + f"{int(amount):,}".replace(",", ".")

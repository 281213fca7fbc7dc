"""SKRD numbers and billing codes (kode bayar), both taken from one gap-free sequence per year
(``licensing.services.sequence_next`` with the key ``skrd``)."""

SEQUENCE_KEY = "skrd"


def invoice_number(*, year: int, seq: int) -> str:
    """SKRD/2026/000123."""
    return f"SKRD/{year}/{seq:06d}"


def billing_code(*, year: int, seq: int) -> str:
    """16 digits: the year, the sequence number in 11 digits and a Luhn check digit, so that a
    digit mistyped at a bank teller or in a banking app is caught before any money moves."""
    body = f"{year:04d}{seq:011d}"
    return body + str(luhn_check_digit(body))


def luhn_check_digit(digits: str) -> int:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 0:  # every second digit, counted from the check digit's left
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return (10 - total % 10) % 10


def billing_code_is_valid(code: str) -> bool:
    return len(code) == 16 and code.isdigit() and luhn_check_digit(code[:-1]) == int(code[-1])

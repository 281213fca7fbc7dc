"""A QRIS payload as Indonesian wallets read it: EMVCo tag-length-value fields and a CRC.

The sandbox's merchant is made up; the string has the real layout so a QR reader shows
something plausible, and no wallet will ever pay it.
"""


def _field(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def _crc16_ccitt(data: bytes) -> str:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def qris_payload(*, reference: str, amount: int) -> str:
    """A dynamic QRIS string for ``amount`` in the wire's minor units (whole rupiah shown)."""
    merchant = _field("00", "ID.CO.IZIN.SANDBOX") + _field("01", "9360000000000000001")
    body = "".join([
        _field("00", "01"),
        _field("01", "12"),  # dynamic: one payment, one amount
        _field("26", merchant),
        _field("52", "9399"),  # government services
        _field("53", "360"),  # rupiah
        _field("54", str(amount // 100)),
        _field("58", "ID"),
        _field("59", "IZIN SANDBOX"),
        _field("60", "PEKANBARU"),
        _field("62", _field("05", reference[:25])),
    ])
    body += "6304"
    return body + _crc16_ccitt(body.encode("ascii"))

"""The QRIS code a payer scans, drawn here as an inline ``<svg>``: the page's
Content-Security-Policy loads images from Izin only (no ``data:`` address), and nothing is
fetched from the gateway for it."""

import qrcode
import qrcode.image.svg


def qris_svg(payload: str) -> str:
    """An ``<svg>`` element encoding ``payload``. Medium error correction, as the printed
    codes': a phone held at an angle to a cracked screen still reads it."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4,
                         image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(payload)
    code.make(fit=True)
    return code.make_image().to_string(encoding="unicode")

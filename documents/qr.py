"""QR codes as inline SVG: drawn by us, nothing for the renderer to fetch."""

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    """An ``<svg>`` element encoding ``data`` (medium error correction survives a worn print)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2,
                         image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(data)
    code.make(fit=True)
    return code.make_image().to_string(encoding="unicode")

"""QR codes as inline SVG: drawn by us, nothing for the renderer to fetch.

Both halves of a permit's QR cost were in work that proves nothing. The encoder tried all eight
mask patterns and kept the "best" (over half of its time); any mask is a valid code that every
reader decodes, so one is fixed. And WeasyPrint parses an SVG path in Python, number by number:
one filled square per dark module (~3,000 squares at version 14) cost about as much as the
rest of the page (bench/issuance.py). Each row's run of dark modules is one rectangle instead
(about half as many). Filled, not stroked: a stroke one module wide saves numbers, but
rasterisers snap stroke widths and leave hairlines between rows, and fewer printed codes then
scanned in a test with OpenCV.
"""

import qrcode

# Pattern 0 scans as well as any other; the search for the best one only trims rare patterns
# that confuse old readers, at the price of encoding the code eight more times.
MASK_PATTERN = 0
BORDER = 2  # quiet zone, in modules; the page's margin adds the rest


def qr_code(data: str) -> qrcode.QRCode:
    """The code for ``data`` at the smallest version that holds it, medium error correction (a
    worn print still scans), mask fixed. Segments are chosen per mode, so an upper-case base32
    tail is stored alphanumerically."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=BORDER,
                         mask_pattern=MASK_PATTERN)
    code.add_data(data)
    code.make(fit=True)
    return code


def _runs(row: list[bool]):
    """(start, length) of each run of dark modules in a row."""
    start = None
    for x, dark in enumerate([*row, False]):
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            yield start, x - start
            start = None


def qr_svg(data: str) -> str:
    """An ``<svg>`` element encoding ``data``: one filled path, a rectangle per run of dark
    modules in a row."""
    code = qr_code(data)
    size = code.modules_count + 2 * BORDER
    runs = "".join(f"M{BORDER + x} {BORDER + y}h{length}v1h-{length}z"
                   for y, row in enumerate(code.modules) for x, length in _runs(row))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{size}mm" '
            f'height="{size}mm" viewBox="0 0 {size} {size}"><path d="{runs}" fill="#000"/>'
            '</svg>')

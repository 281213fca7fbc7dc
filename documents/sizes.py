"""File sizes as people read them: "340 KB", "3,4 MB" (the decimal comma in Indonesian).

A file's size is rounded up and a limit down, so a file over its limit never reads as equal to it
("2,1 MB; the limit is 2 MB", not "2 MB; the limit is 2 MB"). static/js/upload.js writes sizes
the same way in the browser.
"""

import math

from django.utils import formats

KB = 1024
MB = 1024 * 1024


def _number(value: float) -> str:
    places = 0 if value == int(value) else 1
    return formats.number_format(value, decimal_pos=places, use_l10n=True)


def _size(n_bytes: int, rounding) -> str:
    if n_bytes < MB:
        return f"{_number(rounding(n_bytes / KB))} KB"
    return f"{_number(rounding(n_bytes * 10 / MB) / 10)} MB"


def file_size(n_bytes: int) -> str:
    """A file's size, rounded up: 3 565 158 bytes → "3,4 MB"; 1 byte → "1 KB"."""
    return _size(n_bytes, math.ceil)


def limit_size(n_bytes: int) -> str:
    """A size limit, rounded down: 2 097 152 bytes → "2 MB"."""
    return _size(n_bytes, math.floor)

"""Checks on uploaded files, decided by their content, never by their name. Pure functions."""

import io
import warnings

from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

FORMAT_MIME = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
FORMAT_EXTENSION = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png"}
MAX_NAME_LENGTH = 200
# Pillow's own threshold (about 89 million pixels, 0.25 GB as RGB once decoded). A few kilobytes
# of PNG can declare 30000 × 30000 pixels; such an image is refused from its header, before
# anything decodes it. A phone's photo (12 to 50 megapixels) is far below.
MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485


class UploadRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def sniff_format(content: bytes) -> str | None:
    """What the bytes are: 'pdf', 'jpeg', 'png', or None for anything else. Raises
    ``UploadRefused`` for an image that declares more pixels than may be decoded."""
    if content.startswith(b"%PDF-") and b"%%EOF" in content[-2048:]:
        return "pdf"
    if content.startswith(b"\xff\xd8\xff") or content.startswith(b"\x89PNG\r\n\x1a\n"):
        try:
            with warnings.catch_warnings():
                # Pillow warns above its threshold (and raises at twice it); the check below
                # refuses all of them with the applicant's message, the warning adds nothing.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(content)) as image:  # reads the header only
                    _check_dimensions(*image.size)
                    image.verify()
                    kind = (image.format or "").lower()
        except Image.DecompressionBombError:
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return None
        return {"jpeg": "jpeg", "png": "png"}.get(kind)
    return None


def _too_many_pixels() -> UploadRefused:
    return UploadRefused(
        _("The image has too many pixels: at most %(limit)s million are accepted. Save it at a "
          "smaller size and upload it again.")
        % {"limit": MAX_IMAGE_PIXELS // 1_000_000})


def _check_dimensions(width: int, height: int) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels()


def check_name(name: str) -> None:
    """Refuse names that try to climb directories or hide characters. We never store by this name,
    but a name like that is not an honest mistake."""
    if not name or len(name) > MAX_NAME_LENGTH:
        raise UploadRefused(_("The file name is empty or too long."))
    if any(ch in name for ch in "/\\") or ".." in name or name.startswith("."):
        raise UploadRefused(_("The file name %(name)s is not allowed.") % {"name": name[:60]})
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise UploadRefused(_("The file name contains control characters."))


def check_upload(*, name: str, content: bytes, accepted_formats: list[str], max_bytes: int) -> str:
    """Return the file's format, or raise ``UploadRefused`` with a message for the applicant."""
    check_name(name)
    if not content:
        raise UploadRefused(_("The file is empty."))
    if len(content) > max_bytes:
        raise UploadRefused(
            _("The file is %(size)s KB; at most %(limit)s KB is allowed.")
            % {"size": (len(content) + 1023) // 1024, "limit": max_bytes // 1024}
        )
    kind = sniff_format(content)
    if kind is None:
        raise UploadRefused(_("This file is not a real PDF, JPEG or PNG document."))
    if kind not in accepted_formats:
        raise UploadRefused(
            _("A %(kind)s file is not accepted here. Accepted: %(accepted)s.")
            % {"kind": kind.upper(), "accepted": ", ".join(f.upper() for f in accepted_formats)}
        )
    return kind

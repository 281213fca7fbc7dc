"""Checks on uploaded files, decided by their content, never by their name. Pure functions."""

import io
import warnings

from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from documents.sizes import file_size, limit_size

FORMAT_MIME = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
FORMAT_EXTENSION = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png"}
# What a file input offers to choose (its ``accept``): every name a phone or computer may give
# the format. The server still decides by the bytes.
FORMAT_ACCEPT = {"pdf": (".pdf", "application/pdf"), "jpeg": (".jpg", ".jpeg", "image/jpeg"),
                 "png": (".png", "image/png")}
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


def accept_attribute(formats: list[str]) -> str:
    """``.pdf,application/pdf,.jpg,.jpeg,image/jpeg`` for ``["pdf", "jpeg"]``."""
    return ",".join(name for kind in formats for name in FORMAT_ACCEPT.get(kind, ()))


def formats_text(formats: list[str]) -> str:
    return ", ".join(kind.upper() for kind in formats)


class _Refused(UploadRefused):
    """A refusal that already states some facts about the file ("size", "formats"), so the
    sentence added to it does not repeat them."""

    def __init__(self, message, *, states: tuple[str, ...]):
        super().__init__(message)
        self.states = states


def check_upload(*, name: str, content: bytes, accepted_formats: list[str], max_bytes: int,
                 size: int | None = None) -> str:
    """Return the file's format, or raise ``UploadRefused`` with a message for the applicant that
    says what the file is and what is accepted. ``content`` may be cut at ``max_bytes + 1``;
    ``size`` is then the file's real size, so the refusal states it."""
    size = max(size or 0, len(content))
    try:
        return _format_checked(name=name, content=content, size=size,
                               accepted_formats=accepted_formats, max_bytes=max_bytes)
    except UploadRefused as refused:
        raise _with_facts(refused, size=size, accepted_formats=accepted_formats,
                          max_bytes=max_bytes) from None


def too_large(*, size: int, accepted_formats: list[str], max_bytes: int) -> UploadRefused:
    """The refusal of a file too large to be read at all: ``size`` as its request declared it."""
    return _with_facts(_size_refused(size, max_bytes), size=size,
                       accepted_formats=accepted_formats, max_bytes=max_bytes)


def _size_refused(size: int, max_bytes: int) -> UploadRefused:
    return _Refused(_("The file is %(size)s; the limit is %(limit)s.")
                    % {"size": file_size(size), "limit": limit_size(max_bytes)}, states=("size",))


def _with_facts(refused: UploadRefused, *, size, accepted_formats, max_bytes) -> UploadRefused:
    """The refusal, followed by what it does not say yet of the file's size and what is taken."""
    states = getattr(refused, "states", ())
    if "size" in states:
        facts = _("Accepted formats: %(formats)s.")
    elif "formats" in states:
        facts = _("The file is %(size)s.")
    else:
        facts = _("The file is %(size)s; accepted: %(formats)s, at most %(limit)s.")
    facts = facts % {"size": file_size(size), "formats": formats_text(accepted_formats),
                     "limit": limit_size(max_bytes)}
    return UploadRefused(f"{refused.message} {facts}")


def _format_checked(*, name, content, size, accepted_formats, max_bytes) -> str:
    check_name(name)
    if not content:
        raise _Refused(_("The file is empty."), states=("size",))
    if size > max_bytes:
        raise _size_refused(size, max_bytes)
    kind = sniff_format(content)
    if kind is None:
        raise UploadRefused(_("This file is not a real PDF, JPEG or PNG document."))
    if kind not in accepted_formats:
        raise _Refused(_("A %(kind)s file is not accepted here. Accepted: %(accepted)s.")
                       % {"kind": kind.upper(), "accepted": formats_text(accepted_formats)},
                       states=("formats",))
    return kind

"""Catalogue text is entered by clerks in both languages; show the one the reader chose."""

from django.utils.translation import get_language


def localized(obj: object, field: str) -> str:
    """Return ``obj.<field>_en`` for English readers, ``obj.<field>_id`` otherwise.

    Indonesian is the fallback because it is the language every record must have.
    """
    language = (get_language() or "id")[:2]
    if language == "en":
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_id")

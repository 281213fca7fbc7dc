"""E-mail in both languages. Recipients have no language preference stored, and the sender's
language says nothing about theirs, so every message is written in Indonesian, then English."""

from django.conf import settings
from django.utils import translation

SEPARATOR = "\n\n" + "-" * 40 + "\n\n"


def bilingual(subject_msg, body_msg, params: dict) -> tuple[str, str]:
    """``(subject, body)``: each message rendered in every language of ``settings.LANGUAGES``.

    Pass the messages as ``gettext_lazy`` strings. ``params`` may hold lazy values too (a date
    wrapped with ``django.utils.functional.lazy``): they are rendered in each language in turn.
    """
    subjects, bodies = [], []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            subjects.append(str(subject_msg) % params)
            bodies.append(str(body_msg) % params)
    return " / ".join(subjects), SEPARATOR.join(bodies)

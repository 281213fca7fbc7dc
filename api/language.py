"""The caller's language, from ``Accept-Language``. Pages follow the person's switch instead
(``config.middleware``); a program has no switch, and says what it reads."""

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

MAX_HEADER = 200  # a longer header is not parsed


def language_from_header(header: str) -> str:
    supported = dict(settings.LANGUAGES)
    if header and len(header) <= MAX_HEADER:
        for tag, _quality in parse_accept_lang_header(header):
            base = tag.split("-")[0].lower()
            if base in supported:
                return base
    return settings.LANGUAGE_CODE


def activate_for(request) -> None:
    language = language_from_header(request.headers.get("Accept-Language", ""))
    translation.activate(language)
    request.LANGUAGE_CODE = language

"""Who calls: the key in ``Authorization: Bearer <key>``, the scope a view needs, and how often
a key may call (per key, in the shared cache)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions, throttling

from api.keys import KeyRefused, api_key_check, api_key_touch
from api.models import ApiKey


class KeyFailed(exceptions.AuthenticationFailed):
    def __init__(self, code: str, message):
        super().__init__(detail=str(message), code=code)
        self.api_code = code
        self.api_message = message


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        kind, _space, raw = header.partition(" ")
        if kind != self.keyword or not raw.strip():
            raise KeyFailed("invalid_api_key", _("Send the key as: Authorization: Bearer <key>."))
        try:
            key = api_key_check(raw.strip())
        except KeyRefused as refused:
            raise KeyFailed(refused.code, refused.message) from None
        api_key_touch(key)
        return key.user, key

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


def request_key(request) -> ApiKey | None:
    return request.auth if isinstance(request.auth, ApiKey) else None


class HasScope(permissions.BasePermission):
    """The view's ``scope`` must be among the key's scopes."""

    def has_permission(self, request, view):
        key = request_key(request)
        if key is None:
            raise exceptions.NotAuthenticated()
        return key.allows(view.scope)


class PerKeyThrottle(throttling.SimpleRateThrottle):
    scope = "api_key"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        key = request_key(request)
        return None if key is None else self.cache_format % {"scope": self.scope,
                                                             "ident": key.prefix}

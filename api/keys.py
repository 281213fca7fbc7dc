"""Issuing, revoking and checking API keys. A key reads ``izk_<prefix>_<secret>``: the prefix
finds the row, the SHA-256 of the whole key must match it (compared in constant time)."""

import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import ApiKey
from api.scopes import Scope
from licensing.models import Business, BusinessMembership, MemberRole

logger = logging.getLogger("izin.api")

KEY_PREFIX = "izk_"
MAX_KEY_LENGTH = 100  # a presented key longer than any issued one is not looked at
DEFAULT_LIFETIME = timedelta(days=365)


class KeyRefused(Exception):
    def __init__(self, code: str, message):
        super().__init__(code)
        self.code = code
        self.message = message


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _service_user(prefix: str, name: str):
    # Inactive: no password works, no page opens, no notice is sent to it; the audit trail
    # shows its name.
    return get_user_model().objects.create_user(
        email=f"api-{prefix}@api.izin.invalid", password=None, is_active=False,
        full_name=f"API: {name}"[:200],
    )


@transaction.atomic
def api_key_issue(*, name: str, scopes: list[str], actor=None,
                  businesses: list[Business] = (), expires_at: datetime | None = None,
                  ) -> tuple[ApiKey, str]:
    """A new key and the key itself, which is never stored and never shown again."""
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown or not scopes:
        raise ValueError(f"Unknown or no scopes: {unknown}")
    prefix = secrets.token_hex(4)
    raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        name=name, prefix=prefix, digest=_digest(raw), scopes=sorted(set(scopes)),
        user=_service_user(prefix, name), created_by=actor,
        expires_at=expires_at or timezone.now() + DEFAULT_LIFETIME,
    )
    api_key_bind(key=key, businesses=list(businesses))
    logger.info("api_key_issued api_key_id=%s prefix=%s scopes=%s businesses=%s actor_id=%s",
                key.pk, prefix, ",".join(key.scopes), len(businesses), getattr(actor, "pk", None))
    return key, raw


@transaction.atomic
def api_key_bind(*, key: ApiKey, businesses: list[Business]) -> None:
    """The businesses whose applications the key manages: exactly these, from now on."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    key.businesses.set(businesses)
    BusinessMembership.objects.filter(user=key.user).exclude(business__in=businesses).delete()
    for business in businesses:
        BusinessMembership.objects.get_or_create(business=business, user=key.user,
                                                 defaults={"role": MemberRole.STAFF})
    logger.info("api_key_bound api_key_id=%s businesses=%s", key.pk, len(businesses))


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor=None) -> ApiKey:
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        # It no longer acts for anyone: nothing it could still reach through a membership.
        BusinessMembership.objects.filter(user=key.user).delete()
        logger.info("api_key_revoked api_key_id=%s prefix=%s actor_id=%s", key.pk, key.prefix,
                    getattr(actor, "pk", None))
    return key


def api_key_check(raw: str) -> ApiKey:
    """The valid key ``raw`` is, or ``KeyRefused`` saying why not (unknown, revoked, expired)."""
    if not raw.startswith(KEY_PREFIX) or len(raw) > MAX_KEY_LENGTH or raw.count("_") < 2:
        raise KeyRefused("invalid_api_key", _("The API key is not valid."))
    prefix = raw[len(KEY_PREFIX):].split("_", 1)[0]
    key = ApiKey.objects.select_related("user").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.digest, _digest(raw)):
        raise KeyRefused("invalid_api_key", _("The API key is not valid."))
    if key.revoked_at is not None:
        raise KeyRefused("api_key_revoked", _("This API key has been revoked."))
    if key.expires_at <= timezone.now():
        raise KeyRefused("api_key_expired", _("This API key has expired."))
    return key


def api_key_touch(key: ApiKey) -> None:
    """Last used, written at most once a minute per key: a busy key does not write every call."""
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)

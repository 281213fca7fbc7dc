"""API keys of the systems that integrate with Izin, what each call did, and the first answer
to each idempotency key."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.scopes import Scope


class ApiKey(models.Model):
    """One integrating system's key. Only its SHA-256 is stored: the key itself is shown once,
    when it is issued. ``prefix`` (the key's first characters) names it in logs and the admin.

    Each key acts through its own user, inactive so it can never sign in to a page or receive
    a notification: the audit trail names it as the actor of every change it makes, and the
    businesses it is bound to count it as one of their people (staff) while it is valid."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    digest = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True,
                              editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    businesses = models.ManyToManyField("licensing.Business", blank=True, related_name="+",
                                        verbose_name=_("businesses"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="api_key", editable=False, verbose_name=_("acts as"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("issued by"))
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_valid(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def scope_labels(self) -> list[str]:
        return [str(Scope(scope).label) for scope in self.scopes if scope in Scope.values]


class ApiCall(models.Model):
    """Each authenticated call: who, what, and how it ended, with the request id the log lines
    and the queued tasks carry. Kept apart from the state-change audit trail, which the call's
    changes write with the key's user as their actor."""

    key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="calls",
                            verbose_name=_("API key"))
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=300)
    status_code = models.PositiveSmallIntegerField(_("status code"))
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=255, blank=True)
    replayed = models.BooleanField(_("replayed"), default=False)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["key", "-created_at"], name="apicall_key_recent_idx")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status_code}"


class IdempotentRequest(models.Model):
    """The first answer to a POST with an ``Idempotency-Key``, per key: the same key and body
    get it again; the same key with another body is refused."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the method, path and body
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.BinaryField(default=b"")
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api_key", "key"],
                                               name="idempotency_key_once_per_api_key")]

    def __str__(self) -> str:
        return f"{self.api_key_id}:{self.key}"

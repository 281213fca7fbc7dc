import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from licensing.roles import HEAD_OF_OFFICE, in_group
from licensing.validators import validate_kbli_list, validate_nib, validate_npwp


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Logs in with an e-mail address; roles are groups (see ``licensing.roles``)."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    # Set when the person opened the link e-mailed at sign-up: until then the account may not
    # own a business or accept an invitation.
    email_verified_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Kecamatan(models.TextChoices):
    """The fifteen districts (kecamatan) of Pekanbaru after the 2020 split."""

    BINA_WIDYA = "bina_widya", "Bina Widya"
    BUKIT_RAYA = "bukit_raya", "Bukit Raya"
    KULIM = "kulim", "Kulim"
    LIMA_PULUH = "lima_puluh", "Lima Puluh"
    MARPOYAN_DAMAI = "marpoyan_damai", "Marpoyan Damai"
    PAYUNG_SEKAKI = "payung_sekaki", "Payung Sekaki"
    PEKANBARU_KOTA = "pekanbaru_kota", "Pekanbaru Kota"
    RUMBAI = "rumbai", "Rumbai"
    RUMBAI_BARAT = "rumbai_barat", "Rumbai Barat"
    RUMBAI_TIMUR = "rumbai_timur", "Rumbai Timur"
    SAIL = "sail", "Sail"
    SENAPELAN = "senapelan", "Senapelan"
    SUKAJADI = "sukajadi", "Sukajadi"
    TENAYAN_RAYA = "tenayan_raya", "Tenayan Raya"
    TUAH_MADANI = "tuah_madani", "Tuah Madani"


class Business(ConcurrentTransitionMixin, models.Model):
    """A business (pelaku usaha) registered with its NIB from OSS.

    Frozen (``state``) while the office checks a disputed NIB (``licensing.claims``): nobody
    starts or submits its applications, invites people to it or changes who owns it, except
    the head of office reassigning it.
    """

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        FROZEN = "frozen", _("Frozen")

    # As long as OSS allows (``nama_perseroan``, 255); typed names stop at 200 in the forms.
    legal_name = models.CharField(_("legal name"), max_length=255)
    nib = models.CharField(_("NIB"), max_length=13, unique=True, validators=[validate_nib])
    npwp = models.CharField(_("NPWP"), max_length=16, validators=[validate_npwp])
    street_address = models.CharField(_("street address"), max_length=300)
    # Empty only for a business OSS sent (``licensing.oss``): OSS names no kecamatan, and a
    # kelurahan only sometimes. The owner or the counter completes them.
    kecamatan = models.CharField(_("kecamatan"), max_length=32, choices=Kecamatan.choices,
                                 blank=True)
    kelurahan = models.CharField(_("kelurahan"), max_length=100, blank=True)
    kbli_codes = models.JSONField(
        _("KBLI codes"), default=list, validators=[validate_kbli_list],
        help_text=_("The 5-digit KBLI codes of the business's activities."),
    )
    # The person responsible (penanggung jawab) as OSS names them; their identity number is not
    # kept: the office needs to know whom to address, not to hold a copy of the NIK.
    responsible_person_name = models.CharField(_("person responsible"), max_length=500,
                                               blank=True)
    responsible_person_role = models.CharField(_("role of the person responsible"),
                                               max_length=250, blank=True)
    # When OSS last sent or confirmed this identity; empty: only ever typed in here.
    oss_received_at = models.DateTimeField(_("received from OSS at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # Empty when the owner registered the business online; the clerk otherwise.
    registered_at_counter_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("registered at the counter by"),
        help_text=_("Front-office staff who registered the business for a walk-in owner."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="BusinessMembership", related_name="businesses",
        verbose_name=_("members"),
    )
    state = FSMField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE,
                     protected=True, db_index=True)
    # The latest freeze; every freeze and unfreeze is also in the audit trail, with its actor.
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_reason = models.TextField(_("reason for the freeze"), blank=True)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return f"{self.legal_name} (NIB {self.nib})"

    @property
    def is_frozen(self) -> bool:
        return self.state == self.State.FROZEN

    def clean_fields(self, exclude=None):
        # The state is protected (django-fsm) and cleaning would assign it: only transitions
        # set it, so there is nothing to clean.
        super().clean_fields(exclude={*(exclude or ()), "state"})

    # The machine: transition methods only change fields; ``licensing.claims`` locks, checks
    # the reason and audits through ``fsm_apply``.

    def _by_head_of_office(self, user) -> bool:
        """Permission for django-fsm: freezing is the head of office's alone, never the
        system's."""
        return in_group(user, HEAD_OF_OFFICE)

    @transition(field=state, source=State.ACTIVE, target=State.FROZEN,
                permission=_by_head_of_office)
    def freeze(self, *, reason: str):
        self.frozen_at = timezone.now()
        self.frozen_reason = reason

    @transition(field=state, source=State.FROZEN, target=State.ACTIVE,
                permission=_by_head_of_office)
    def unfreeze(self, *, reason: str):
        # The freeze's own reason stays in the audit trail; the page shows only current state.
        self.frozen_at = None
        self.frozen_reason = ""


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    STAFF = "staff", _("Staff")


class BusinessMembership(models.Model):
    """Who may act for a business. One person may act for several businesses."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="memberships",
                                 verbose_name=_("business"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        verbose_name = _("business membership")
        verbose_name_plural = _("business memberships")
        constraints = [
            models.UniqueConstraint(fields=["business", "user"], name="membership_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.business} ({self.get_role_display()})"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class BusinessInvitation(models.Model):
    """An invitation for someone to act for the business: as staff, from its owner; as owner,
    from the clerk who registered the business at the counter."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="invitations",
                                 verbose_name=_("business"))
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices,
                            default=MemberRole.STAFF)
    token = models.CharField(_("token"), max_length=64, unique=True, default=_invitation_token,
                             editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.business}"

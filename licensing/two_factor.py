"""The second factor: an authenticator app (TOTP) and ten single-use recovery codes
(django-otp). Every staff account must use it before any staff page or the admin opens; a
business may turn it on, and then it is asked of it too.

WebAuthn (security keys, passkeys) is not offered: django-otp has no WebAuthn device, and a
second library for it would be a second place where sign-in is decided.
"""

import logging
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from licensing import roles

logger = logging.getLogger("izin.accounts")

APP = "Authenticator"
RECOVERY = "Recovery codes"
RECOVERY_CODES = 10

# What a person who still owes the second factor may open: the pages to give it, signing out,
# the language switch, and what serves pages (static files, the probes).
OPEN_PATHS = ("/accounts/two-factor/", "/accounts/logout/", "/i18n/", "/static/", "/healthz",
              "/readyz")


def is_required(user) -> bool:
    """Staff always; a business person once they turned it on."""
    return roles.is_staff_member(user) or has_device(user)


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class SecondFactorMiddleware:
    """A signed-in person who owes the second factor is sent to give it (or, staff without an
    authenticator yet, to set one up) before anything else opens, the admin included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not user.is_verified()
                and not request.path.startswith(OPEN_PATHS) and is_required(user)):
            target = "two_factor_verify" if has_device(user) else "two_factor_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


def totp_pending(*, user) -> TOTPDevice:
    """The authenticator being set up: unconfirmed until its first code is given."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=APP).first()
    return device or TOTPDevice.objects.create(user=user, name=APP, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it by hand: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The key as a QR code for the app's camera: an inline ``<svg>``, nothing fetched."""
    code = qrcode.QRCode(border=2, image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(device.config_url)
    code.make(fit=True)
    return code.make_image().to_string(encoding="unicode")


@transaction.atomic
def totp_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """The first code from the app: the authenticator is confirmed, any other is removed, the
    session counts as verified, and fresh recovery codes are returned (shown once). None if
    the code is wrong."""
    if not device.verify_token(_digits(token)):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    logger.info("second_factor_set_up user_id=%s", device.user_id)
    return recovery_codes_renew(user=device.user)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """Ten new single-use codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify(*, request, token: str) -> bool:
    """A code from the app, or a recovery code (used up by this). Each device throttles its own
    failures (django-otp doubles the wait after each wrong code)."""
    user = request.user
    token = token.strip()[:16]
    devices = [*TOTPDevice.objects.filter(user=user, confirmed=True),
               *StaticDevice.objects.filter(user=user, confirmed=True)]
    for device in devices:
        candidate = _digits(token) if isinstance(device, TOTPDevice) else token.replace(" ", "")
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(candidate):
                otp_login(request, locked)
                logger.info("second_factor_verified user_id=%s device=%s", user.pk,
                            type(locked).__name__)
                return True
    logger.info("second_factor_refused user_id=%s", user.pk)
    return False


def turn_off(*, user) -> None:
    """A business person turns the second factor off (staff cannot: it is required)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    logger.info("second_factor_removed user_id=%s", user.pk)


def _digits(token: str) -> str:
    return "".join(ch for ch in token if ch.isdigit())[:8]



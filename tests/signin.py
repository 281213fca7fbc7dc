"""Signing in through the real forms, as a person would: the password on the login page, then,
for staff, the code their authenticator app shows."""

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from licensing import two_factor
from licensing.models import User


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, email: str, password: str) -> bool:
    """True once the person is in, second factor included where it is owed."""
    if client.post(reverse("login"), {"username": email, "password": password}).status_code != 302:
        return False
    user = User.objects.get(email=email)
    if not two_factor.is_required(user):
        return True
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return False
    verified = client.post(reverse("two_factor_verify"), {"code": current_code(device)})
    return verified.status_code == 302

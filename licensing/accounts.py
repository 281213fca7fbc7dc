"""Accounts: sign-up that tells no stranger whether an address is taken, e-mail confirmation
before an account may own a business or accept an invitation, password reset by e-mail.
Messages to an address go through ``licensing.tasks.mail_send`` after commit, in both
languages (the person's choice is not known before they are somebody's account)."""

import logging

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from config.celery import enqueue_on_commit
from licensing.mail import bilingual
from licensing.models import User
from licensing.tasks import mail_send

logger = logging.getLogger("izin.accounts")


class EmailConfirmationTokens(PasswordResetTokenGenerator):
    """One-use links: the token is bound to the address, whether it is confirmed yet and the
    last sign-in, so a used link (it signs the person in) stops working."""

    key_salt = "izin.accounts.EmailConfirmationTokens"

    def _make_hash_value(self, user, timestamp) -> str:
        last_login = "" if user.last_login is None else user.last_login.replace(
            microsecond=0, tzinfo=None)
        return f"{user.pk}{user.email}{user.email_verified_at}{last_login}{timestamp}"


confirmation_tokens = EmailConfirmationTokens()


def confirmation_path_parts(user) -> tuple[str, str]:
    return urlsafe_base64_encode(force_bytes(user.pk)), confirmation_tokens.make_token(user)


def _send(subject, body, params: dict, to: str) -> None:
    subject_text, body_text = bilingual(subject, body, params)
    enqueue_on_commit(mail_send, subject_text, body_text, [to])


@transaction.atomic
def account_sign_up(*, email: str, full_name: str, password: str, confirm_url_for) -> None:
    """Make the account and send its confirmation link; for an address that already has an
    account, make nothing and tell its owner instead. The caller answers the same either way."""
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        _send(_("Someone tried to sign up to Izin with your address"),
              _("Somebody tried to open a new Izin account with this e-mail address, which "
                "already has one. If it was you, log in, or reset your password from the "
                "login page. If not, you need do nothing."), {}, existing.email)
        logger.info("signup_for_existing_address user_id=%s", existing.pk)
        return
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    email_confirmation_send(user=user, confirm_url_for=confirm_url_for)
    logger.info("signed_up user_id=%s", user.pk)


def email_confirmation_send(*, user, confirm_url_for) -> None:
    _send(_("Confirm your e-mail address for Izin"),
          _("Welcome to Izin, %(name)s. Open this link to confirm your e-mail address; it "
            "signs you in: %(url)s\n\nThe link works for three days, once."),
          {"name": user.full_name, "url": confirm_url_for(user)}, user.email)


@transaction.atomic
def email_confirm(*, uidb64: str, token: str) -> User | None:
    """The person opened the link: the address is confirmed (once). None for a link that is
    not valid, expired or used."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64[:32])))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.select_for_update().filter(pk=pk, is_active=True).first()
    if user is None or not confirmation_tokens.check_token(user, token[:64]):
        return None
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        logger.info("email_confirmed user_id=%s", user.pk)
    return user


def password_reset_mail(*, user, reset_url: str) -> None:
    _send(_("Reset your Izin password"),
          _("Open this link to choose a new password for %(email)s: %(url)s\n\nIf you did not "
            "ask for it, ignore this e-mail: your password stays as it is."),
          {"email": user.email, "url": reset_url}, user.email)

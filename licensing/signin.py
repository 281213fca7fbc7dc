"""Signing in and staying signed in.

Failed sign-ins are counted by django-axes (settings: ``AXES_*``), per account and per client
address, on the site's login and the admin's alike. Staff sessions end after
``STAFF_IDLE_MINUTES`` without a request and after ``STAFF_SESSION_HOURS`` in any case; a
business's session ends when the browser closes unless it chose to stay signed in.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from licensing import roles

SIGNED_IN_AT = "izin_signed_in_at"
REMEMBER_FIELD = "remember"


def login_name(request, credentials) -> str:
    """The account axes counts failures against: the e-mail as typed, trimmed, lower case and
    bounded, so ``A@x.id`` and ``a@x.id `` are one account."""
    name = (credentials or {}).get("username") or (credentials or {}).get("email") or ""
    return str(name).strip().lower()[:254]


def locked_out(request, credentials, *args, **kwargs):
    """What a locked-out sign-in sees (status 429), on the site and in the admin."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


def landing_url(user) -> str:
    """Where a person's work is, after signing in: a reviewer's inbox, the treasury's dashboard,
    the counter, the admin; a business's applications."""
    group_names = set(user.groups.values_list("name", flat=True))
    if user.groups.filter(review_steps__isnull=False).exists():
        return reverse("inbox")
    if group_names & {roles.TREASURY_OFFICER, roles.TREASURY_SUPERVISOR}:
        return reverse("treasury:dashboard")
    if roles.FRONT_OFFICE in group_names:
        return reverse("counter_intake")
    if roles.HEAD_OF_OFFICE in group_names:
        return reverse("review_overview")
    if user.is_staff:
        return reverse("admin:index")
    return reverse("dashboard")


@receiver(user_logged_in, dispatch_uid="izin_session_policy")
def start_session(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[SIGNED_IN_AT] = int(time.time())
    if roles.is_staff_member(user):
        request.session.set_expiry(settings.STAFF_IDLE_MINUTES * 60)
    elif request.POST.get(REMEMBER_FIELD):
        request.session.set_expiry(settings.BUSINESS_REMEMBER_DAYS * 24 * 3600)
    else:
        request.session.set_expiry(0)  # the browser's session


class SessionPolicyMiddleware:
    """Staff: the idle timeout slides with each request; past the maximum lifetime the session
    ends, whatever its activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and roles.is_staff_member(user):
            started = request.session.get(SIGNED_IN_AT)
            if started is None or time.time() - started > settings.STAFF_SESSION_HOURS * 3600:
                logout(request)
                messages.info(request, _("For security, staff sessions end after %(hours)s "
                                         "hours. Please log in again.")
                              % {"hours": settings.STAFF_SESSION_HOURS})
                return redirect_to_login(request.get_full_path())
            request.session.set_expiry(settings.STAFF_IDLE_MINUTES * 60)
        return self.get_response(request)

"""Sign up, confirm the address, log in (with the second factor where owed), reset a password.
Logging out is Django's own (POST only). Sign-up and password reset answer the same whether or
not an address has an account, and are rate limited per client address."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.client_address import client_address
from config.throttle import allow
from licensing import accounts
from licensing.forms import EmailAuthenticationForm, PasswordResetRequestForm, SignupForm
from licensing.once import once
from licensing.signin import landing_url

HOUR = 3600


def safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _too_many(request) -> HttpResponse:
    response = render(request, "registration/too_many.html", status=429)
    response["Retry-After"] = str(HOUR)
    return response


def _within_limit(request, bucket: str) -> bool:
    return allow(bucket=bucket, client=client_address(request),
                 limit=settings.ACCOUNT_RATE_LIMITS[bucket], window=HOUR)


def confirm_url_for(request):
    """Links in e-mail name the site's own address (SITE_URL), never the request's Host; where
    the person was going (an invitation, say) rides along."""
    target = safe_next(request)

    def url(user) -> str:
        uidb64, token = accounts.confirmation_path_parts(user)
        link = settings.SITE_URL.rstrip("/") + reverse("email_confirm", args=[uidb64, token])
        return f"{link}?{urlencode({'next': target})}" if target else link
    return url


@once
def signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if not _within_limit(request, "signup"):
            return _too_many(request)
        if form.is_valid():
            accounts.account_sign_up(
                email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"], confirm_url_for=confirm_url_for(request),
            )
            return redirect("signup_sent")
    return render(request, "registration/signup.html",
                  {"form": form, "next": safe_next(request) or ""})


def signup_sent(request):
    return render(request, "registration/signup_sent.html")


def email_confirm(request, uidb64: str, token: str):
    user = accounts.email_confirm(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "registration/email_confirm_invalid.html", status=400)
    if not request.user.is_authenticated or request.user.pk != user.pk:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your e-mail address is confirmed."))
    return redirect(safe_next(request) or "dashboard")


@login_required
@require_POST
def email_confirmation_resend(request):
    if request.user.email_verified:
        return redirect("dashboard")
    if not _within_limit(request, "confirmation"):
        return _too_many(request)
    accounts.email_confirmation_send(user=request.user, confirm_url_for=confirm_url_for(request))
    messages.info(request, _("We sent the link again to %(email)s.")
                  % {"email": request.user.email})
    return redirect(safe_next(request) or "dashboard")


class LoginView(auth_views.LoginView):
    """Back to where the person was going, else to where their work is (``landing_url``)."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return landing_url(self.request.user)


login_view = LoginView.as_view()


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. The same page follows whether or not the address has an account;
    past the limit for the client's address, nothing is sent and the page says so."""

    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        if not _within_limit(request, "password_reset"):
            return _too_many(request)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # A new password ends a lockout of the account (its address may still be locked).
        axes_reset(username=form.user.email)
        return response


@login_required
def email_unconfirmed(request):
    """Where a person who has not confirmed the address is sent from what needs it."""
    if request.user.email_verified:
        return redirect(safe_next(request) or "dashboard")
    return render(request, "registration/email_unconfirmed.html",
                  {"next": safe_next(request) or ""})

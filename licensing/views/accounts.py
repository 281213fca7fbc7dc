"""Sign up and log in, by e-mail. Logging out is Django's own (POST only)."""

from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from licensing.forms import EmailAuthenticationForm, SignupForm
from licensing.once import once


def safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@once
def signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(safe_next(request) or reverse("dashboard"))
    return render(request, "registration/signup.html",
                  {"form": form, "next": safe_next(request) or ""})


login_view = LoginView.as_view(authentication_form=EmailAuthenticationForm,
                               redirect_authenticated_user=True)

"""The second factor's pages: set up an authenticator (staff must, businesses may), give a code
when signing in, see or renew recovery codes, and (businesses only) turn it off."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from licensing import roles, two_factor
from licensing.views.accounts import safe_next


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
        help_text=gettext_lazy("The six digits your authenticator app shows now, or one of "
                               "your recovery codes."),
    )


@login_required
def setup(request):
    if two_factor.has_device(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?next={safe_next(request) or ''}")
    device = two_factor.totp_pending(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_confirm(request=request, device=device,
                                        token=form.cleaned_data["code"])
        if codes is not None:
            return render(request, "registration/two_factor_codes.html",
                          {"codes": codes, "next": safe_next(request) or ""})
        form.add_error("code", _("That code is not right. Check the time on your phone and "
                                 "type the code the app shows now."))
    return render(request, "registration/two_factor_setup.html", {
        "form": form, "qr_svg": two_factor.qr_svg(device),
        "secret": two_factor.secret_text(device), "next": safe_next(request) or "",
        "required": roles.is_staff_member(request.user),
    })


@login_required
def verify(request):
    if request.user.is_verified():
        return redirect(safe_next(request) or "home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request=request, token=form.cleaned_data["code"]):
            return redirect(safe_next(request) or "home")
        form.add_error("code", _("That code is not right, or was used already. Wait for the "
                                 "next code and try again."))
    return render(request, "registration/two_factor_verify.html",
                  {"form": form, "next": safe_next(request) or ""})


@login_required
def manage(request):
    return render(request, "registration/two_factor_manage.html", {
        "enabled": two_factor.has_device(request.user),
        "required": roles.is_staff_member(request.user),
    })


@login_required
@require_POST
def recovery_codes_renew(request):
    if not request.user.is_verified():
        return redirect("two_factor_verify")
    codes = two_factor.recovery_codes_renew(user=request.user)
    return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": ""})


@login_required
@require_POST
def turn_off(request):
    if roles.is_staff_member(request.user):
        messages.error(request, _("Staff accounts must keep the second factor."))
        return redirect("two_factor_manage")
    if two_factor.has_device(request.user) and not request.user.is_verified():
        return redirect("two_factor_verify")
    two_factor.turn_off(user=request.user)
    messages.success(request, _("Two-step sign-in is turned off."))
    return redirect("two_factor_manage")

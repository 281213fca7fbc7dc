"""The person's notices and their notification settings. Every query is scoped to
``request.user``; each change calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import selectors, services
from notifications.forms import PreferenceForm
from notifications.models import Notification

PER_PAGE = 25


@login_required
def notification_list(request):
    page = Paginator(selectors.notification_list_for_user(user=request.user), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read_all(request):
    services.notification_read_all(user=request.user)
    return redirect("notification_list")


# A GET that marks read: the notice's link is an ordinary link (no form, no JavaScript), and
# marking read is idempotent and harmless if a prefetcher follows it first. Nothing else
# changes, so it needs no CSRF protection.
@login_required
def notification_open(request, pk: int):
    try:
        notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    except Notification.DoesNotExist:
        raise Http404(_("No such notification among yours.")) from None
    services.notification_mark_read(notification=notification)
    # Only a path on this site: a stored link never sends anyone elsewhere.
    if notification.url and url_has_allowed_host_and_scheme(
            notification.url, allowed_hosts={request.get_host()},
            require_https=request.is_secure()):
        return redirect(notification.url)
    return redirect("notification_list")


@login_required
def notification_settings(request):
    preference = services.preference_for(request.user)
    staff = services.user_is_staff(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST, staff=staff)
        if form.is_valid():
            data = form.cleaned_data
            services.preference_update(
                user=request.user, language=data["language"],
                email=preference.email if staff else data["email"],
                sms=data["sms"], whatsapp=data["whatsapp"], phone=data["phone"],
            )
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notification_settings")
    else:
        form = PreferenceForm(staff=staff, initial={
            "language": preference.language, "email": preference.email or staff,
            "sms": preference.sms, "whatsapp": preference.whatsapp, "phone": preference.phone,
        })
    return render(request, "notifications/settings.html", {"form": form, "staff": staff})

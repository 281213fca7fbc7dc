"""The gateway's webhook answered ahead of the page machinery.

The webhook carries no cookie, renders no page and is exempt from CSRF: sessions, the language,
sign-in, the second factor, messages, the lockout and the page headers have nothing to do for
it, yet under a burst of events their work was a fifth of each delivery's time before the 200
(bench/webhook_intake.py). This middleware stands after the request id and the HTTPS redirect,
which still apply, and hands the webhook straight to its view; every other path goes on.
"""

import functools

from django.urls import reverse

from payments import views


@functools.cache
def _webhook_path() -> str:
    return reverse("stripe_webhook")


class WebhookIntakeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != _webhook_path():
            return self.get_response(request)
        request.get_host()  # ALLOWED_HOSTS still holds: a stranger's Host header is a 400
        return views.stripe_webhook(request)

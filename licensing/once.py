"""Forms that cannot be submitted twice.

Every form that creates or changes something carries a one-time token (``{% form_token %}``).
The decorated view spends it in the request's transaction: a double click or a browser retry
presents a spent token and is sent to where the first submission went, with nothing done twice.
Two identical requests at the same moment meet at the token's unique index.
"""

import secrets
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from licensing.models import FormSubmission

FIELD = "form_token"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def once(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        token = request.POST.get(FIELD, "")[:64]
        if not token:
            messages.error(request, _("The form has expired. Please fill it in again."))
            return redirect(request.get_full_path())
        user = request.user if request.user.is_authenticated else None
        try:
            with transaction.atomic():
                spent = FormSubmission.objects.create(token=token, user=user)
        except IntegrityError:
            prior = FormSubmission.objects.filter(token=token).first()
            messages.info(request, _("This form was already sent; it was not processed twice."))
            return redirect(prior.result_url if prior and prior.result_url
                            else request.get_full_path())
        response = view(request, *args, **kwargs)
        if response.status_code in (301, 302, 303):
            spent.result_url = response["Location"][:300]
            spent.save(update_fields=["result_url"])
        else:
            # The form came back with errors: the corrected form carries a fresh token.
            spent.delete()
        return response

    return wrapper

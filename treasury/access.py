"""Who may open the treasury's pages: treasury officers and supervisors, nobody else; and who
may approve what one of them proposed: a supervisor (``is_treasury_supervisor``)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from licensing import roles

TREASURY_GROUPS = (roles.TREASURY_OFFICER, roles.TREASURY_SUPERVISOR)


def is_treasury(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.groups.filter(name__in=TREASURY_GROUPS).exists()


def is_treasury_supervisor(user) -> bool:
    """Refunds, write-offs and manual matches are approved by a supervisor only: the role that
    answers for money given back and for differences taken off the books."""
    return roles.in_group(user, roles.TREASURY_SUPERVISOR)


def treasury_required(view):
    """Log in first; then treasury staff only (403 for anyone else, the admin included)."""

    @login_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not is_treasury(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded

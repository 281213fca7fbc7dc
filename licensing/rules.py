"""Who may move an application. Permission callables for django-fsm: ``(application, user)``.

``user is None`` means the system itself (a Celery task, a payment confirmation, a deadline).
"""

from licensing import roles


def acts_for_business(user, business) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return business.memberships.filter(user=user).exists()


def may_act_as_applicant(application, user) -> bool:
    """The business's own people, or the front office for an application filed at the counter."""
    if acts_for_business(user, application.business):
        return True
    return application.filed_at_counter and roles.in_group(user, roles.FRONT_OFFICE)


def is_system(application, user) -> bool:
    return user is None


def is_reviewer_of(application, user) -> bool:
    """A reviewer holding a review task of this application for one of their groups."""
    if user is None or not user.is_authenticated:
        return False
    return application.review_tasks.filter(group__in=user.groups.all()).exists()


def reviewer_or_system(application, user) -> bool:
    return user is None or is_reviewer_of(application, user)


def may_reissue_bill(application, user) -> bool:
    """Front-office and treasury staff give an application whose bill expired a new one."""
    return any(roles.in_group(user, name) for name in
               (roles.FRONT_OFFICE, roles.TREASURY_OFFICER, roles.TREASURY_SUPERVISOR))

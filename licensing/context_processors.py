from licensing import roles
from licensing.register import may_see_register


def navigation(request) -> dict:
    """Which menu entries the person sees. Visibility of data is decided in selectors, not here."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    group_names = set(user.groups.values_list("name", flat=True))
    return {
        "nav_is_reviewer": user.groups.filter(review_steps__isnull=False).exists(),
        "nav_is_front_office": roles.FRONT_OFFICE in group_names,
        "nav_sees_claims": bool(group_names & {roles.FRONT_OFFICE, roles.HEAD_OF_OFFICE}),
        # Unit supervisors are set on review units (workflows), reached here by the relation only.
        "nav_oversees_review": (roles.HEAD_OF_OFFICE in group_names
                                or user.supervised_units.exists()),
        "nav_has_business": user.memberships.exists(),
        "nav_sees_register": may_see_register(user),
        "nav_is_treasury": bool(group_names & {roles.TREASURY_OFFICER, roles.TREASURY_SUPERVISOR}),
        # Complaints and the monthly evaluation are the head of office's.
        "nav_is_head_of_office": roles.HEAD_OF_OFFICE in group_names,
    }

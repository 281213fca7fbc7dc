"""Four-eyes rules for reviewers. Each returns None when allowed, or the reason it is not."""

from django.utils.translation import gettext_lazy as _

from licensing import rules as licensing_rules
from workflows.states import DECIDED


def review_refusal(*, task, user):
    """Why ``user`` may not take or decide ``task``, or None."""
    if not user.groups.filter(pk=task.group_id).exists():
        return _("This task belongs to a group you are not in.")
    application = task.application
    if licensing_rules.acts_for_business(user, application.business):
        return _("You act for this business, so you may not review its application.")
    if application.created_by_id == user.pk and application.filed_at_counter:
        return _("You filed this application at the counter, so you may not review it.")
    decided = application.review_tasks.filter(decided_by=user, state__in=list(DECIDED))
    if decided.exclude(step_id=task.step_id).exists():
        return _("You already decided another step of this application.")
    # Parallel groups on one step are separate pairs of eyes too. After a change request the
    # step's decisions stop being current and the same reviewers may decide it again.
    other_group = decided.filter(step_id=task.step_id, is_current=True).exclude(
        group_id=task.group_id
    )
    if other_group.exists():
        return _("You already decided this step for another group.")
    return None

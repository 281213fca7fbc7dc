from django import template
from django.utils.translation import gettext, ngettext

from workflows import models

register = template.Library()


@register.filter
def unit_name(group) -> str:
    """A reviewer group by the name of its unit: ``{{ task.group|unit_name }}``."""
    return models.unit_name(group)


@register.filter
def working_days(days) -> str:
    """``3`` → "3 working days left", ``0`` → "due today", ``-2`` → "2 working days late"."""
    if days is None:
        return ""
    if days == 0:
        return gettext("due today")
    if days > 0:
        return ngettext("%(days)s working day left", "%(days)s working days left",
                        days) % {"days": days}
    return ngettext("%(days)s working day late", "%(days)s working days late",
                    -days) % {"days": -days}


@register.filter
def get_item(mapping, key):
    """``{{ days_left|get_item:task.pk }}``: a dictionary's value in a template."""
    return mapping.get(key) if mapping else None

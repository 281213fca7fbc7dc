from django import template

from workflows import models

register = template.Library()


@register.filter
def unit_name(group) -> str:
    """A reviewer group by the name of its unit: ``{{ task.group|unit_name }}``."""
    return models.unit_name(group)

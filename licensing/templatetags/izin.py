from django import template
from django.utils.html import format_html

from licensing import once
from workflows import models as workflows_models

register = template.Library()


@register.simple_tag
def form_token() -> str:
    """A one-time token for a form that changes something (see ``licensing.once``)."""
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, once.new_token())


@register.filter
def rupiah(amount) -> str:
    """Whole rupiah as Indonesians write it: Rp 1.500.000."""
    if amount is None or amount == "":
        return ""
    return "Rp " + f"{int(amount):,}".replace(",", ".")


@register.filter
def unit_name(group) -> str:
    """A reviewer group by the name of its unit: ``{{ task.group|unit_name }}``."""
    return workflows_models.unit_name(group)

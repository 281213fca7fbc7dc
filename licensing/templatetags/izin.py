from django import template
from django.utils.html import format_html

from licensing import formats, once

register = template.Library()
register.filter("rupiah", formats.rupiah)


@register.simple_tag
def form_token() -> str:
    """A one-time token for a form that changes something (see ``licensing.once``)."""
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, once.new_token())

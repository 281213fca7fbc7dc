"""What a document's file input tells the browser and the person choosing a file: the formats it
takes (``accept``), its limit in bytes for the page's script, and both in people's words."""

from django import template

from documents import sizes, uploads

register = template.Library()


@register.filter
def upload_accept(requirement) -> str:
    return uploads.accept_attribute(requirement.accepted_formats)


@register.filter
def upload_formats(requirement) -> str:
    return uploads.formats_text(requirement.accepted_formats)


@register.filter
def upload_max_bytes(requirement) -> int:
    return requirement.max_size_kb * 1024


@register.filter
def upload_limit(requirement) -> str:
    return sizes.limit_size(requirement.max_size_kb * 1024)


@register.filter
def file_size(n_bytes) -> str:
    return sizes.file_size(int(n_bytes))

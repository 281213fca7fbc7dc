"""Steps two and three of a PDF: HTML from a template (testable), then the PDF (WeasyPrint).

The renderer reads nothing but the project's own static files: any other address in a
document (a file path, a web address) is refused, so text that slips into the HTML cannot make
the server read or fetch something.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from documents.qr import qr_svg

logger = logging.getLogger("izin.documents")

PERMIT_TEMPLATE = "documents/permit.html"
# Stored with each permit: which layout a PDF was made with. Raise it when the template changes.
PERMIT_TEMPLATE_VERSION = "permit-2"
INVOICE_TEMPLATE = "documents/invoice.html"
RECEIPT_TEMPLATE = "documents/receipt.html"


class FetchRefused(ValueError):
    pass


def permit_html(context: dict) -> str:
    return render_to_string(PERMIT_TEMPLATE, {
        **context, "qr_svg": mark_safe(qr_svg(context["qr_url"])),  # noqa: S308 (ours)
    })


def invoice_html(context: dict) -> str:
    return render_to_string(INVOICE_TEMPLATE, context)


def receipt_html(context: dict) -> str:
    return render_to_string(RECEIPT_TEMPLATE, context)


def _static_prefix() -> str:
    return settings.SITE_URL.rstrip("/") + settings.STATIC_URL


def static_only_fetcher(url: str) -> dict:
    """A WeasyPrint URL fetcher that serves the project's static files and nothing else."""
    prefix = _static_prefix()
    if url.startswith(prefix):
        relative = url[len(prefix):].split("?")[0]
        found = finders.find(relative) if ".." not in Path(relative).parts else None
        if found:
            return {"string": Path(found).read_bytes(), "redirected_url": url}
    logger.warning("pdf_fetch_refused scheme=%s", url.split(":", 1)[0])
    raise FetchRefused("only the project's static files may be used in documents")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: loading its native libraries takes a while

    return HTML(string=html, base_url=_static_prefix(),
                url_fetcher=static_only_fetcher).write_pdf()

"""Drive applications through their life with the real services, as people would."""

import io

from PIL import Image

from documents.services import attachment_upload
from licensing import services
from tests.factories import ApplicationFactory, BusinessFactory, UserFactory


def pdf_bytes(text: str = "Izin") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        + f"% {text}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


class Upload(io.BytesIO):
    """What a view receives: a file-like object with a name."""

    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name = name
        self.size = len(content)


def draft(*, permit_type, owner=None, **kwargs):
    owner = owner or UserFactory()
    business = kwargs.pop("business", None) or BusinessFactory(owner=owner)
    return services.application_create(business=business, permit_type=permit_type, actor=owner,
                                       **kwargs), owner


def complete(application, actor):
    for requirement in application.permit_type.required_documents.all():
        attachment_upload(application=application, requirement=requirement, actor=actor,
                          uploaded_file=Upload(pdf_bytes(), f"{requirement.name_en}.pdf"))
    return application


def submitted(*, permit_type, **kwargs):
    application, owner = draft(permit_type=permit_type, **kwargs)
    complete(application, owner)
    return services.application_submit(application=application, actor=owner), owner


__all__ = ["ApplicationFactory", "complete", "draft", "pdf_bytes", "png_bytes", "submitted"]

"""The document card on the application page, as the business sees it: the file input says what
it takes, a refusal states the file's real size and what is accepted, the page returns to the
card after an upload, two controls never share a name, and no hash is shown."""

import io
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from documents.models import Attachment
from documents.sizes import file_size, limit_size
from tests.factories import PermitTypeFactory, RequiredDocumentFactory
from tests.lifecycle import draft, pdf_bytes, png_bytes
from tests.portal import in_english, post

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    @property
    def text(self) -> str:
        parts = [child if isinstance(child, str) else child.text for child in self.children]
        return " ".join("".join(parts).split())

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, **attrs):
        return [element for element in self.iter()
                if (tag is None or element.tag == tag)
                and all(element.attrs.get(key.rstrip("_")) == value
                        for key, value in attrs.items())]

    def by_id(self, element_id):
        [element] = self.find_all(id=element_id)
        return element


class Tree(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.root = self.current = Element("#document", {})
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def page(response) -> Element:
    assert response.status_code == 200
    return Tree(response.content.decode()).root


@pytest.fixture
def setting(client):
    """A draft with a PDF-or-JPEG document of at most 2 MB, its owner signed in. Another permit
    type takes files up to 10 MB, so uploads of a few megabytes reach the page's own checks."""
    RequiredDocumentFactory(max_size_kb=10 * 1024)
    permit_type = PermitTypeFactory()
    requirement = RequiredDocumentFactory(permit_type=permit_type, name_id="Denah lokasi",
                                          name_en="Site plan", accepted_formats=["pdf", "jpeg"],
                                          max_size_kb=2 * 1024)
    application, owner = draft(permit_type=permit_type)
    client.force_login(owner)
    upload = reverse("attachment_upload", args=[application.pk, requirement.pk])
    detail = reverse("application_detail", args=[application.pk])
    return application, requirement, upload, detail


def test_the_file_input_says_what_it_takes(client, setting):
    _application, requirement, _upload, detail = setting
    card = page(client.get(detail)).by_id(f"document-{requirement.pk}")
    [heading] = card.find_all("h3")
    assert "Denah lokasi" in heading.text
    [file_input] = card.find_all("input", type="file")
    assert file_input.attrs["accept"] == ".pdf,application/pdf,.jpg,.jpeg,image/jpeg"
    assert file_input.attrs["data-max-bytes"] == str(2 * MB)
    assert file_input.attrs["data-formats"] == "pdf jpeg"
    described_by = file_input.attrs["aria-describedby"].split()
    hint = card.by_id(described_by[0])
    assert "PDF, JPEG" in hint.text
    assert "2 MB" in hint.text
    for element_id in described_by:  # every reference points at an element of the card
        card.by_id(element_id)


def test_the_limit_is_written_in_the_readers_numbers(client, setting):
    _application, requirement, _upload, detail = setting
    requirement.max_size_kb = 1536
    requirement.save()
    indonesian = page(client.get(detail)).by_id(f"file-{requirement.pk}-hint")
    english = page(in_english(client).get(detail)).by_id(f"file-{requirement.pk}-hint")
    assert "1,5 MB" in indonesian.text
    assert "1.5 MB" in english.text


def test_the_two_controls_of_a_card_have_different_names(client, setting):
    application, requirement, _upload, detail = setting
    second = RequiredDocumentFactory(permit_type=application.permit_type, name_en="Site photo")
    root = page(in_english(client).get(detail))
    for pk, name in ((requirement.pk, "Site plan"), (second.pk, "Site photo")):
        card = root.by_id(f"document-{pk}")
        [label] = card.find_all("label", for_=f"file-{pk}")
        [button] = card.find_all("button", type="submit")
        assert name in label.text and name in button.text
        assert label.text != button.text


@pytest.mark.parametrize("outcome", ["stored", "refused"])
def test_after_an_upload_the_page_returns_to_the_card(client, setting, outcome):
    application, requirement, upload, _detail = setting
    content = pdf_bytes() if outcome == "stored" else png_bytes()
    response = post(client, upload, {"file": SimpleUploadedFile("denah.pdf", content)})
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{application.pk}/#document-{requirement.pk}"
    assert Attachment.objects.exists() == (outcome == "stored")


def test_a_refusal_states_the_files_real_size_and_the_limit(client, setting):
    _application, _requirement, upload, _detail = setting
    content = pdf_bytes("x" * (34 * MB // 10 - 200))  # 3,4 MB: over the limit, under 10 MB
    assert 33 * MB // 10 < len(content) <= 34 * MB // 10
    response = post(in_english(client), upload, {"file": SimpleUploadedFile("denah.pdf", content)},
                    follow=True)
    assert ("Site plan was not stored: The file is 3.4 MB; the limit is 2 MB. "
            "Accepted formats: PDF, JPEG.") in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_refusal_of_the_format_states_the_size_and_what_is_accepted(client, setting):
    _application, _requirement, upload, _detail = setting
    content = png_bytes((300, 300))
    response = post(in_english(client), upload, {"file": SimpleUploadedFile("foto.png", content)},
                    follow=True)
    assert (f"A PNG file is not accepted here. Accepted: PDF, JPEG. The file is "
            f"{file_size(len(content))}.") in response.content.decode()


class EndlessBody(io.RawIOBase):
    """A request body that counts what anyone reads of it."""

    def __init__(self):
        self.bytes_read = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = b"x" * len(buffer)
        self.bytes_read += len(buffer)
        return len(buffer)


def test_a_file_larger_than_any_document_takes_is_refused_unread_with_its_size(client, setting):
    application, requirement, upload, _detail = setting
    body = EndlessBody()
    response = in_english(client).generic(
        "POST", upload, content_type="multipart/form-data; boundary=izin",
        **{"wsgi.input": body, "CONTENT_LENGTH": str(40 * MB)},
    )
    assert body.bytes_read == 0
    assert response["Location"] == f"/applications/{application.pk}/#document-{requirement.pk}"
    text = client.get(response["Location"]).content.decode()
    assert "Site plan was not stored: The file is 40 MB; the limit is 2 MB." in text


def test_the_business_sees_no_hash_of_its_files(client, setting):
    _application, _requirement, upload, detail = setting
    post(client, upload, {"file": SimpleUploadedFile("denah.pdf", pdf_bytes())})
    attachment = Attachment.objects.get()
    text = client.get(detail).content.decode()
    assert "denah.pdf" in text
    assert "SHA-256" not in text
    assert attachment.sha256[:12] not in text


@pytest.mark.parametrize(("language", "n_bytes", "as_file", "as_limit"), [
    ("id", 3_565_158, "3,4 MB", "3,3 MB"),
    ("en", 3_565_158, "3.4 MB", "3.3 MB"),
    ("id", 2 * MB, "2 MB", "2 MB"),
    ("id", 2 * MB + 1, "2,1 MB", "2 MB"),
    ("id", 4097, "5 KB", "4 KB"),
    ("id", 1, "1 KB", "0 KB"),
])
def test_sizes_are_rounded_so_a_file_over_its_limit_never_reads_as_equal(language, n_bytes,
                                                                         as_file, as_limit):
    with translation.override(language):
        assert (file_size(n_bytes), limit_size(n_bytes)) == (as_file, as_limit)

import hashlib
import os

import pytest
from django.conf import settings

from documents.models import Attachment
from documents.services import attachment_upload
from documents.uploads import UploadRefused
from tests.factories import PermitTypeFactory, RequiredDocumentFactory
from tests.lifecycle import Upload, draft, jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def application_and_requirement():
    permit_type = PermitTypeFactory()
    requirement = RequiredDocumentFactory(permit_type=permit_type)
    application, owner = draft(permit_type=permit_type)
    return application, requirement, owner


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "..\\..\\boot.ini.pdf", "/etc/passwd.pdf", "a/b.pdf", ".htaccess.pdf",
     "x\x00.pdf", "new\nline.pdf", ""],
)
def test_path_tricks_in_names_are_refused_and_nothing_is_stored(application_and_requirement,
                                                                name):
    application, requirement, owner = application_and_requirement
    with pytest.raises(UploadRefused):
        attachment_upload(application=application, requirement=requirement, actor=owner,
                          uploaded_file=Upload(pdf_bytes(), name))
    assert not Attachment.objects.exists()
    assert not any(files for _dir, _sub, files in os.walk(settings.PRIVATE_MEDIA_ROOT))


def test_sha256_and_versions_are_recorded(application_and_requirement):
    application, requirement, owner = application_and_requirement
    first, second = pdf_bytes("1"), jpeg_bytes()
    v1 = attachment_upload(application=application, requirement=requirement, actor=owner,
                           uploaded_file=Upload(first, "scan.pdf"))
    v2 = attachment_upload(application=application, requirement=requirement, actor=owner,
                           uploaded_file=Upload(second, "scan.jpg"))
    assert (v1.version, v1.sha256) == (1, hashlib.sha256(first).hexdigest())
    assert (v2.version, v2.sha256, v2.file_format) == (2, hashlib.sha256(second).hexdigest(),
                                                       "jpeg")
    assert hashlib.sha256(v1.file.open("rb").read()).hexdigest() == v1.sha256

"""Private files in an S3-compatible bucket: a real S3 server (moto's, over HTTP on loopback)
holds the uploads and the signed permits; they come back only through Izin's checked views,
byte for byte, and the bucket gives nothing to an unsigned request."""

import hashlib
import os
import runpy
import uuid

import boto3
import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from config.env import BASE_DIR
from config.storage import private_storage
from config.storage_s3 import PrivateS3Storage
from documents.models import Attachment
from licensing.models import Permit
from tests.documents.permits import issued
from tests.factories import BusinessFactory, PermitTypeFactory, RequiredDocumentFactory, UserFactory
from tests.lifecycle import draft, pdf_bytes
from tests.portal import post

pytestmark = pytest.mark.django_db

REGION = "ap-southeast-3"  # Jakarta
KEYS = {"AWS_ACCESS_KEY_ID": "izin-test-key", "AWS_SECRET_ACCESS_KEY": "izin-test-secret"}
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server on 127.0.0.1, on a port the system chooses."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class Bucket:
    """The bucket as its owner sees it (boto3, signed), and as anyone else does (unsigned)."""

    def __init__(self, endpoint: str, name: str):
        self.endpoint, self.name = endpoint, name
        self.client = boto3.client(
            "s3", endpoint_url=endpoint, region_name=REGION,
            aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
        )
        self.client.create_bucket(Bucket=name,
                                  CreateBucketConfiguration={"LocationConstraint": REGION})

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def public_grants(self, key: str) -> list[dict]:
        grants = self.client.get_object_acl(Bucket=self.name, Key=key)["Grants"]
        return [grant for grant in grants if grant["Grantee"].get("URI") == ALL_USERS]

    def unsigned_get(self, key: str) -> requests.Response:
        return requests.get(f"{self.endpoint}/{self.name}/{key}", timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch, tmp_path):
    """A fresh bucket, and Izin's private storage pointed at it by the environment variables a
    deployment sets, read by config/settings/base.py itself."""
    bucket = Bucket(s3_endpoint, f"izin-private-{uuid.uuid4().hex[:12]}")
    for name, value in {**KEYS, "PRIVATE_STORAGE_S3_BUCKET": bucket.name,
                        "PRIVATE_STORAGE_S3_ENDPOINT_URL": s3_endpoint,
                        "PRIVATE_STORAGE_S3_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    configured = runpy.run_path(str(BASE_DIR / "config" / "settings" / "base.py"))
    settings.STORAGES = {**settings.STORAGES, "private": configured["STORAGES"]["private"]}
    storage = private_storage()
    assert isinstance(storage, PrivateS3Storage)
    # A FileField calls its storage callable once, when the model class is built: a deployment
    # has chosen by then; a test switches both private fields here.
    for model in (Attachment, Permit):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)
    return bucket


def _files_on_disk(settings) -> list[str]:
    return [name for _dir, _sub, names in os.walk(settings.PRIVATE_MEDIA_ROOT) for name in names]


def _outsider():
    user = UserFactory()
    BusinessFactory(owner=user)
    return user


def test_the_settings_make_a_private_bucket_without_urls(bucket, settings):
    options = settings.STORAGES["private"]["OPTIONS"]
    assert settings.STORAGES["private"]["BACKEND"] == "config.storage_s3.PrivateS3Storage"
    assert (options["bucket_name"], options["default_acl"], options["querystring_auth"],
            options["file_overwrite"]) == (bucket.name, "private", True, False)
    storage = private_storage()
    assert (storage.connect_timeout, storage.read_timeout) == (5, 30)
    with pytest.raises(ValueError, match="not accessible via a URL"):
        storage.url("applications/1/x.pdf")
    with pytest.raises(NotImplementedError):
        storage.path("applications/1/x.pdf")


def test_an_uploaded_attachment_is_in_the_bucket_and_comes_back_only_through_izin(
        client, bucket, settings):
    permit_type = PermitTypeFactory()
    requirement = RequiredDocumentFactory(permit_type=permit_type, accepted_formats=["pdf"])
    application, owner = draft(permit_type=permit_type)
    client.force_login(owner)
    content = pdf_bytes("denah lokasi di bucket")
    post(client, reverse("attachment_upload", args=[application.pk, requirement.pk]),
         {"file": SimpleUploadedFile("Denah Lokasi.pdf", content)})

    attachment = Attachment.objects.get()
    assert bucket.keys() == [attachment.file.name]
    assert attachment.file.name.startswith(f"applications/{application.pk}/")
    assert bucket.read(attachment.file.name) == content
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert _files_on_disk(settings) == []

    download = reverse("attachment_download", args=[attachment.pk])
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == content

    client.force_login(_outsider())
    assert client.get(download).status_code == 404
    assert bucket.public_grants(attachment.file.name) == []
    assert bucket.unsigned_get(attachment.file.name).status_code == 403
    with pytest.raises(ValueError, match="not accessible via a URL"):
        _ = attachment.file.url


def test_a_signed_permit_is_in_the_bucket_and_comes_back_only_through_izin(
        django_capture_on_commit_callbacks, client, bucket, settings):
    permit = issued(django_capture_on_commit_callbacks)
    assert permit.is_stored and permit.file.name.startswith("permits/")
    assert permit.file.name in bucket.keys()
    stored = bucket.read(permit.file.name)
    assert stored.startswith(b"%PDF") and hashlib.sha256(stored).hexdigest() == permit.sha256
    assert _files_on_disk(settings) == []

    client.force_login(permit.holder.memberships.get().user)
    download = reverse("permit_download", args=[permit.pk])
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stored

    client.force_login(_outsider())
    assert client.get(download).status_code == 404
    assert bucket.public_grants(permit.file.name) == []
    assert bucket.unsigned_get(permit.file.name).status_code == 403


def test_the_server_refuses_because_of_the_acl_not_by_default(bucket):
    """The control for the 403s above: a public-read object on the same server is readable
    unsigned, so a refusal means the object is private, not that the server refuses everyone."""
    bucket.client.put_object(Bucket=bucket.name, Key="public.txt", Body=b"umum",
                             ACL="public-read")
    assert bucket.unsigned_get("public.txt").content == b"umum"

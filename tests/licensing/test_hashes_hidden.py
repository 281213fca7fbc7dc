"""A business's pages show its permit, not the file's fingerprint: the SHA-256 is for the office
and for the public verification page, where anyone checks a copy against it."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from documents.context import qr_url
from licensing import roles
from licensing.models import BusinessMembership
from tests.documents.permits import issued
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def shows_hash(html: str, permit) -> bool:
    return "SHA-256" in html or permit.sha256[:14] in html


def test_the_holder_sees_no_hash_the_office_and_the_verification_page_do(
        django_capture_on_commit_callbacks, client):
    permit = issued(django_capture_on_commit_callbacks)
    holder = BusinessMembership.objects.filter(business=permit.holder).first().user
    detail = reverse("permit_detail", args=[permit.pk])

    assert not shows_hash(page(client, holder, detail), permit)
    assert not shows_hash(page(client, holder, reverse("permit_list")), permit)

    head = UserFactory(groups=[roles.HEAD_OF_OFFICE])
    assert shows_hash(page(client, head, detail), permit)

    client.logout()
    verify = urlsplit(qr_url(permit))
    public = client.get(f"{verify.path}?{verify.query}").content.decode()
    assert "SHA-256" in public and permit.sha256 in public

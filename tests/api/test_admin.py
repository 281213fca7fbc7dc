"""The administrator issues a key in the admin: shown once, bound to its businesses, and
revoked there (never deleted: its calls and the audit trail name it)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import ApiKey
from tests.factories import BusinessFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_issue_bind_and_revoke_in_the_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    business = BusinessFactory()
    expires = (timezone.now() + timedelta(days=30)).astimezone(timezone.get_current_timezone())
    response = client.post("/admin/api/apikey/add/", {
        "name": "SIMBG Dinas PUPR", "scopes": ["applications", "catalogue"],
        "businesses": [business.pk], "expires_at_0": expires.date().isoformat(),
        "expires_at_1": expires.strftime("%H:%M:%S"),
    }, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    shown = re.search(r"izk_[0-9a-f]{8}_[A-Za-z0-9_-]+", response.content.decode())
    assert shown, response.content.decode()[:3000]
    key = ApiKey.objects.get(name="SIMBG Dinas PUPR")
    assert key.scopes == ["applications", "catalogue"]
    assert key.created_by == admin
    assert list(key.businesses.all()) == [business]
    assert key.user.memberships.get().business == business
    assert shown.group(0).startswith(f"izk_{key.prefix}_")
    # Not in the page again: the change page shows the prefix only.
    page = client.get(f"/admin/api/apikey/{key.pk}/change/").content.decode()
    assert shown.group(0) not in page

    client.post("/admin/api/apikey/", {"action": "revoke", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert not key.user.memberships.exists()
    assert client.get(f"/admin/api/apikey/{key.pk}/delete/").status_code == 403

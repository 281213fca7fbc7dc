"""Production's "is this PDF genuine?" check trusts the office's own chain, from the required
SIGNING_TRUST_ROOTS_PATH, and never the development CA."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from documents import dev_ca
from documents.validation import trust_roots
from tests.documents.permits import issued
from tests.documents.test_verification import stored_pdf, upload
from tests.security.office_ca import PASSPHRASE, office_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def like_production(settings, signing_dir, tmp_path):
    """The signing settings as config/settings/production.py leaves them: the office's PKCS#12,
    its trust roots, and no development folder at all."""
    p12, roots = office_chain(tmp_path / "office")
    settings.SIGNING_PKCS12_PATH, settings.SIGNING_PKCS12_PASSPHRASE = str(p12), PASSPHRASE
    settings.SIGNING_TRUST_ROOTS_PATH = str(roots)
    settings.SIGNING_DEV_DIR = ""
    settings.VERIFY_TOKEN_KEY_PATH = str(signing_dir / dev_ca.TOKEN_KEY)
    cache.clear()
    return settings


def checked(client, permit, content):
    check = upload(client, permit, content).context["check"]
    return check.identical, check.signed, check.signature_holds


def test_a_permit_signed_by_the_office_is_genuine_under_its_own_roots(
        like_production, django_capture_on_commit_callbacks, client):
    permit = issued(django_capture_on_commit_callbacks)  # signed with the office's key
    assert checked(client, permit, stored_pdf(permit)) == (True, True, True)


def test_a_permit_signed_by_the_development_ca_is_not_trusted_there(
        settings, signing_dir, django_capture_on_commit_callbacks, client, tmp_path):
    permit = issued(django_capture_on_commit_callbacks)  # the test suite's development CA
    _p12, roots = office_chain(tmp_path / "office")
    settings.SIGNING_TRUST_ROOTS_PATH, settings.SIGNING_DEV_DIR = str(roots), ""
    settings.VERIFY_TOKEN_KEY_PATH = str(signing_dir / dev_ca.TOKEN_KEY)
    assert checked(client, permit, stored_pdf(permit)) == (True, True, False)


def test_without_any_trust_root_the_check_refuses_to_guess(settings):
    settings.SIGNING_TRUST_ROOTS_PATH = settings.SIGNING_PKCS12_PATH = settings.SIGNING_DEV_DIR = ""
    with pytest.raises(ImproperlyConfigured, match="SIGNING_TRUST_ROOTS_PATH"):
        trust_roots()


def test_an_unreadable_trust_store_is_an_error_not_an_unsigned_permit(
        like_production, django_capture_on_commit_callbacks, client, tmp_path):
    permit = issued(django_capture_on_commit_callbacks)
    like_production.SIGNING_TRUST_ROOTS_PATH = str(tmp_path / "missing.pem")
    with pytest.raises(OSError):
        upload(client, permit, stored_pdf(permit))

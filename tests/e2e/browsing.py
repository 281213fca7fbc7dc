"""What people do in the browser, in any language: elements are found by role, name attribute or
URL, never by English wording, because the pages are Indonesian by default."""

from django.utils import translation
from playwright.sync_api import Page, expect

PASSWORD = "rahasia-123"  # tests/factories.py gives every user this password


def in_indonesian(text) -> str:
    """A lazily translated label as an Indonesian visitor reads it."""
    with translation.override("id"):
        return str(text)


def send(page: Page, action: str) -> None:
    """Press the submit button of the form that posts to ``action``."""
    page.locator(f'form[action="{action}"] button[type="submit"]').click()


def press_main_button(page: Page) -> None:
    """Press the submit button of the page's one main form (not the header's)."""
    page.locator('main form button[type="submit"]').click()


def log_in(page: Page, user, password: str = PASSWORD) -> None:
    """Sign in as a person would; staff then give the code their authenticator app shows (one
    is set up for them here, as they would have done at their first sign-in)."""
    from licensing.roles import is_staff_member

    if is_staff_member(user):
        authenticator_for(user)
    page.goto("/accounts/login/")
    page.locator('main input[name="username"]').fill(user.email)
    page.locator('main input[name="password"]').fill(password)
    press_main_button(page)
    if "/accounts/two-factor/verify/" in page.url:
        page.locator('main input[name="code"]').fill(current_code(user))
        press_main_button(page)
    expect(page.locator('header form[action="/accounts/logout/"]')).to_be_visible()


def authenticator_for(user):
    """The authenticator a staff member set up (made now if they have none)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return (TOTPDevice.objects.filter(user=user, confirmed=True).first()
            or TOTPDevice.objects.create(user=user, name="Phone"))


def current_code(user) -> str:
    from django_otp.oath import TOTP

    device = authenticator_for(user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def business_form_fill(page: Page, *, legal_name: str, nib: str) -> None:
    page.locator('input[name="legal_name"]').fill(legal_name)
    page.locator('input[name="nib"]').fill(nib)
    page.locator('input[name="npwp"]').fill("01.234.567.8-123.000")
    page.locator('input[name="street_address"]').fill("Jl. Tuanku Tambusai No. 12")
    page.locator('select[name="kecamatan"]').select_option("marpoyan_damai")
    page.locator('input[name="kelurahan"]').fill("Tangkerang Tengah")
    page.locator('input[name="kbli_codes"]').fill("56101, 56102")

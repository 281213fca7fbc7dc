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
    page.goto("/accounts/login/")
    page.locator('main input[name="username"]').fill(user.email)
    page.locator('main input[name="password"]').fill(password)
    press_main_button(page)
    expect(page.locator('header form[action="/accounts/logout/"]')).to_be_visible()


def business_form_fill(page: Page, *, legal_name: str, nib: str) -> None:
    page.locator('input[name="legal_name"]').fill(legal_name)
    page.locator('input[name="nib"]').fill(nib)
    page.locator('input[name="npwp"]').fill("01.234.567.8-123.000")
    page.locator('input[name="street_address"]').fill("Jl. Tuanku Tambusai No. 12")
    page.locator('select[name="kecamatan"]').select_option("marpoyan_damai")
    page.locator('input[name="kelurahan"]').fill("Tangkerang Tengah")
    page.locator('input[name="kbli_codes"]').fill("56101, 56102")

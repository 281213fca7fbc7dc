"""How businesses reach the office: the settings of the contact page and the filing receipt,
with the links a phone can follow (``tel:``, a WhatsApp chat)."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language


@dataclass(frozen=True)
class OfficeContact:
    name: str
    address: str
    opens_at: str
    closes_at: str
    phone: str
    phone_href: str
    whatsapp: str
    whatsapp_href: str
    email: str


def international_digits(number: str) -> str:
    """A number as Indonesians write it ((0761) 123456, 0812-3456-7890, +62 812 …) in the
    country-code form links need (62761123456); "" when there are no digits."""
    digits = re.sub(r"\D", "", number or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def office_contact() -> OfficeContact:
    issuer = settings.PERMIT_ISSUER
    english = (get_language() or "id")[:2] == "en"
    phone_digits = international_digits(settings.OFFICE_PHONE)
    whatsapp_digits = international_digits(settings.OFFICE_WHATSAPP)
    return OfficeContact(
        name=issuer["office_en"] if english else issuer["office_id"],
        address=settings.OFFICE_ADDRESS,
        opens_at=settings.OFFICE_OPENS_AT,
        closes_at=settings.OFFICE_CLOSES_AT,
        phone=settings.OFFICE_PHONE if phone_digits else "",
        phone_href=f"tel:+{phone_digits}" if phone_digits else "",
        whatsapp=settings.OFFICE_WHATSAPP if whatsapp_digits else "",
        # A plain link: the chat opens in the visitor's own WhatsApp; the page fetches nothing.
        whatsapp_href=f"https://wa.me/{whatsapp_digits}" if whatsapp_digits else "",
        email=settings.OFFICE_EMAIL,
    )

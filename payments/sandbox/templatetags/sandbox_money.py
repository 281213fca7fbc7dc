from django import template

register = template.Library()


@register.filter
def wire_amount(amount: int, currency: str = "idr") -> str:
    """A wire amount (minor units) as the payer reads it: ``Rp 1.500.000``."""
    whole, cents = divmod(int(amount), 100)
    text = f"{whole:,}".replace(",", ".")
    if cents:
        text += f",{cents:02d}"
    return f"Rp {text}" if currency.lower() == "idr" else f"{text} {currency.upper()}"

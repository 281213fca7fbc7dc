"""Fee calculation for a permit type's levy (retribusi). Pure: no database, no clock.

``fee_breakdown`` takes the fee rules of a permit type (``payments.FeeRule`` rows already loaded,
or anything with their attributes), the form fields the rules read (by key), an application's
answers and the date to price on; it returns the lines the applicant sees and the SKRD copies.

Rounding is done in one place, ``round_rupiah``: each line is computed exactly (``Decimal``) and
rounded half-up to whole rupiah, and the total is the sum of the rounded lines. Per line, because
each line is booked to its own revenue account (kode rekening) and printed on the SKRD, so the
total must be the sum of what is printed; half-up, because it is the rounding a clerk does by
hand when checking a bill, and IDR has no smaller unit to carry.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Protocol

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from licensing.formats import rupiah


class FeeKind(models.TextChoices):
    FLAT = "flat", gettext_lazy("Flat amount")
    PER_UNIT = "per_unit", gettext_lazy("Rate per unit of an answer")
    AREA_MONTHS = "area_months", gettext_lazy("Rate × two answers (area × months)")
    TIERED = "tiered", gettext_lazy("Brackets on an answer")


class RuleLike(Protocol):
    kind: str
    label: str
    position: int
    account_code: str
    amount: int | None
    rate: int | None
    field_key: str
    second_field_key: str
    index_field_key: str
    index_table: dict
    tiers: list
    effective_from: date
    effective_to: date | None


class FieldLike(Protocol):
    label: str
    unit_label: str  # in the reader's language, like the label

    def choice_pairs(self) -> list[tuple[str, str]]: ...


class FeeError(Exception):
    """The fee cannot be computed. ``message`` is safe to show to the user; ``code`` is one of
    missing_answer, invalid_answer, no_rule, misconfigured."""

    def __init__(self, message, *, code: str, field_key: str = ""):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field_key = field_key


@dataclass(frozen=True)
class FeeLine:
    label: str
    account_code: str
    basis: str  # how the amount was reached, in words and numbers
    amount: int  # whole rupiah


@dataclass(frozen=True)
class FeeBreakdown:
    lines: tuple[FeeLine, ...]
    on: date  # the tariff date

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


def round_rupiah(exact: Decimal) -> int:
    """The one rounding of Izin: half-up to whole rupiah (see the module docstring)."""
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def in_force(rule: RuleLike, on: date) -> bool:
    """Both ends inclusive: a tariff "from 1 January to 31 December" applies on both days."""
    return rule.effective_from <= on and (rule.effective_to is None or on <= rule.effective_to)


def fee_breakdown(*, rules: Iterable[RuleLike], fields: Mapping[str, FieldLike],
                  answers: Mapping, on: date) -> FeeBreakdown:
    """The lines and total of the levy on ``on``. Raises ``FeeError`` with a clear message."""
    current = sorted((rule for rule in rules if in_force(rule, on)),
                     key=lambda rule: rule.position)
    if not current:
        raise FeeError(_("No fee rule is in force on %(date)s.")
                       % {"date": formats.date_format(on, "j F Y")}, code="no_rule")
    return FeeBreakdown(lines=tuple(_line(rule, fields, answers) for rule in current), on=on)


# One line.


def _line(rule: RuleLike, fields: Mapping[str, FieldLike], answers: Mapping) -> FeeLine:
    read = _Reader(rule, fields, answers)
    if rule.kind == FeeKind.FLAT:
        exact, basis = Decimal(read.setting(rule.amount)), _("fixed amount")
    elif rule.kind == FeeKind.PER_UNIT:
        quantity, rate = read.number(rule.field_key), read.setting(rule.rate)
        exact = quantity * rate
        values = {"quantity": read.quantity_text(rule.field_key, quantity), "rate": rupiah(rate)}
        basis = _("%(quantity)s × %(rate)s") % values
        if rule.index_field_key:
            choice, index = read.index(rule.index_field_key, rule.index_table)
            exact *= index
            basis = _("%(quantity)s × %(rate)s × index %(index)s (%(choice)s)") % {
                **values, "index": _number(index), "choice": choice,
            }
    elif rule.kind == FeeKind.AREA_MONTHS:
        first, second = read.number(rule.field_key), read.number(rule.second_field_key)
        rate = read.setting(rule.rate)
        exact = first * second * rate
        basis = _("%(first)s × %(second)s × %(rate)s") % {
            "first": read.quantity_text(rule.field_key, first),
            "second": read.quantity_text(rule.second_field_key, second),
            "rate": rupiah(rate),
        }
    elif rule.kind == FeeKind.TIERED:
        quantity = read.number(rule.field_key)
        position, tier = _tier_for(rule, quantity)
        bracket = _bracket_text(rule.tiers, position, read.unit(rule.field_key))
        values = {"quantity": read.quantity_text(rule.field_key, quantity), "bracket": bracket}
        if "rate" in tier:
            exact = quantity * tier["rate"]
            basis = _("%(quantity)s × %(rate)s (bracket %(bracket)s)") % {
                **values, "rate": rupiah(tier["rate"])}
        else:
            exact = Decimal(tier["amount"])
            basis = _("%(quantity)s (bracket %(bracket)s)") % values
    else:
        raise _misconfigured(rule)
    return FeeLine(label=rule.label, account_code=rule.account_code, basis=str(basis),
                   amount=round_rupiah(exact))


class _Reader:
    """Reads the answers a rule needs, with the error a person can act on when one is wrong."""

    def __init__(self, rule: RuleLike, fields: Mapping[str, FieldLike], answers: Mapping):
        self.rule, self.fields, self.answers = rule, fields, answers

    def field(self, key: str) -> FieldLike:
        if key not in self.fields:
            raise _misconfigured(self.rule)
        return self.fields[key]

    def setting(self, value: int | None) -> int:
        if value is None:
            raise _misconfigured(self.rule)
        return value

    def answer(self, key: str):
        field = self.field(key)
        value = self.answers.get(key)
        if value in (None, "", {}, []):
            raise FeeError(_("Answer “%(field)s” to calculate the fee.")
                           % {"field": field.label}, code="missing_answer", field_key=key)
        return value

    def number(self, key: str) -> Decimal:
        value = self.answer(key)
        try:
            number = None if isinstance(value, bool | dict | list) else Decimal(str(value))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0:
            raise FeeError(
                _("“%(field)s” must be a number of zero or more to calculate the fee.")
                % {"field": self.fields[key].label},
                code="invalid_answer", field_key=key,
            )
        return number

    def index(self, key: str, table: dict) -> tuple[str, Decimal]:
        value = self.answer(key)
        label = dict(self.fields[key].choice_pairs()).get(value, value)
        try:
            return label, Decimal(str(table[value]))
        except (KeyError, TypeError, InvalidOperation):
            raise FeeError(
                _("There is no fee index for the answer “%(answer)s” to “%(field)s”.")
                % {"answer": label, "field": self.fields[key].label},
                code="invalid_answer", field_key=key,
            ) from None

    def unit(self, key: str) -> str:
        return self.field(key).unit_label

    def quantity_text(self, key: str, number: Decimal) -> str:
        return f"{_number(number)} {self.unit(key)}".strip()


def _tier_for(rule: RuleLike, quantity: Decimal) -> tuple[int, dict]:
    for position, tier in enumerate(rule.tiers or []):
        if not isinstance(tier, dict) or not ({"amount", "rate"} & set(tier)):
            break
        if tier.get("up_to") is None or quantity <= Decimal(str(tier["up_to"])):
            return position, tier
    raise _misconfigured(rule)


def _bracket_text(tiers: list, position: int, unit: str) -> str:
    up_to = tiers[position].get("up_to")
    below = tiers[position - 1].get("up_to") if position else None
    if up_to is not None:
        return _("up to %(limit)s") % {"limit": f"{_number(up_to)} {unit}".strip()}
    if below is not None:
        return _("over %(limit)s") % {"limit": f"{_number(below)} {unit}".strip()}
    return _("any value")


def _number(value) -> str:
    """A quantity as the reader writes it (120,5 in Indonesian), without trailing zeros."""
    number = Decimal(str(value))
    number = number.quantize(Decimal(1)) if number == number.to_integral_value() else (
        number.normalize())
    return formats.number_format(number, force_grouping=True)


def _misconfigured(rule: RuleLike) -> FeeError:
    return FeeError(
        _("The fee rule “%(rule)s” is not set up correctly; the licensing office has to fix it.")
        % {"rule": rule.label},
        code="misconfigured",
    )


# A rule in words, for the catalogue.


def rule_in_words(rule: RuleLike, fields: Mapping[str, FieldLike]) -> str:
    """How the rule prices, e.g. "Rp 10.000 per m² of Total floor area × index by Building
    function: Residential 1; Business 1,5"."""

    def label(key: str) -> str:
        return str(fields[key].label) if key in fields else key

    def unit(key: str) -> str:
        return fields[key].unit_label if key in fields else ""

    if rule.kind == FeeKind.FLAT:
        return rupiah(rule.amount)
    if rule.kind == FeeKind.PER_UNIT:
        words = _("%(rate)s per %(unit)s of %(field)s") % {
            "rate": rupiah(rule.rate), "unit": unit(rule.field_key) or _("unit"),
            "field": label(rule.field_key),
        }
        if rule.index_field_key:
            # In the order of the field's choices: the stored JSON may come back reordered.
            table = rule.index_table or {}
            choices = dict(fields[rule.index_field_key].choice_pairs()) if (
                rule.index_field_key in fields) else {}
            ordered = [value for value in choices if value in table] + [
                value for value in table if value not in choices]
            indices = "; ".join(f"{choices.get(value, value)} {_number(table[value])}"
                                for value in ordered)
            words += " " + _("× index by %(field)s: %(indices)s") % {
                "field": label(rule.index_field_key), "indices": indices}
        return words
    if rule.kind == FeeKind.AREA_MONTHS:
        return _("%(rate)s × %(first)s × %(second)s") % {
            "rate": rupiah(rule.rate),
            "first": f"{label(rule.field_key)} ({unit(rule.field_key)})".replace(" ()", ""),
            "second": f"{label(rule.second_field_key)} ({unit(rule.second_field_key)})".replace(
                " ()", ""),
        }
    brackets = []
    for position, tier in enumerate(rule.tiers or []):
        price = (_("%(rate)s per %(unit)s") % {"rate": rupiah(tier["rate"]),
                                               "unit": unit(rule.field_key) or _("unit")}
                 if "rate" in tier else rupiah(tier.get("amount")))
        brackets.append(f"{_bracket_text(rule.tiers, position, unit(rule.field_key))}: {price}")
    return _("By %(field)s: %(brackets)s") % {"field": label(rule.field_key),
                                              "brackets": "; ".join(brackets)}


# Checks of the JSON an administrator types, for ``FeeRule.clean``.


def _positive_number(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and number > 0 else None


def _positive_whole(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and value > 0


def tier_problems(tiers) -> list[str]:
    """What is wrong with a list of brackets, in words; empty when it is valid.

    A bracket is ``{"up_to": number or null, "amount": rupiah}`` or ``{..., "rate": rupiah}``.
    The answer falls in the first bracket whose ``up_to`` it does not exceed; the last bracket is
    open-ended, so every answer falls in one.
    """
    if not isinstance(tiers, list) or not tiers:
        return [_('Give the brackets as a list, e.g. [{"up_to": 100, "amount": 500000}, '
                  '{"up_to": null, "rate": 5000}].')]
    problems = []
    previous = None
    for number, tier in enumerate(tiers, start=1):
        where = {"n": number}
        if not isinstance(tier, dict) or "up_to" not in tier or set(tier) - {
                "up_to", "amount", "rate"}:
            problems.append(_("Bracket %(n)s: use the key up_to and one of amount or rate.")
                            % where)
            continue
        prices = [key for key in ("amount", "rate") if key in tier]
        if len(prices) != 1:
            problems.append(_("Bracket %(n)s: give either an amount or a rate.") % where)
        elif not _positive_whole(tier[prices[0]]):
            problems.append(_("Bracket %(n)s: the amount or rate must be whole rupiah above "
                              "zero.") % where)
        up_to = tier["up_to"]
        if up_to is None:
            if number != len(tiers):
                problems.append(_("Bracket %(n)s: only the last bracket may be open-ended "
                                  "(up_to null).") % where)
        elif (limit := _positive_number(up_to)) is None:
            problems.append(_("Bracket %(n)s: up_to must be a number above zero, or null.")
                            % where)
        elif previous is not None and limit <= previous:
            problems.append(_("Bracket %(n)s: up_to must be higher than the bracket before.")
                            % where)
        else:
            previous = limit
    if isinstance(tiers[-1], dict) and tiers[-1].get("up_to") is not None:
        problems.append(_('The last bracket must be open-ended ("up_to": null), so that every '
                          "answer falls in a bracket."))
    return problems


def index_table_problems(table) -> list[str]:
    """What is wrong with an index table ``{choice value: index above zero}``; empty if valid."""
    if not isinstance(table, dict) or not table:
        return [_('Give the index for each choice, e.g. {"hunian": "1.00", "usaha": "1.50"}.')]
    wrong = sorted(str(key) for key, value in table.items() if _positive_number(value) is None)
    if wrong:
        return [_("The index must be a number above zero for: %(choices)s.")
                % {"choices": ", ".join(wrong)}]
    return []

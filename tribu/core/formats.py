"""Numbers, money and dates as the reader's language writes them.

One place for pages, charts, PDFs and text reports: thousands separated, two decimals for
money, a few significant digits for ratios, the currency placed as the language places it
("1 234,50 €" in French, "€1,234.50" in English). Files and the API keep ISO dates and
plain machine numbers; these functions are for people only.

Every function takes an optional `lang`; without it the active Django language is used.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.core import Locale
from django.utils import timezone, translation
from django.utils.translation import ngettext_lazy

NONE = "—"


def _locale(lang: str | None) -> str:
    code = (lang or translation.get_language() or "fr").split("-")[0].lower()
    return code if code in {"fr", "en"} else "fr"


# Babel parses a pattern and a locale name on each call; a page formats hundreds of numbers
# with a handful of each, so they are parsed once.
@lru_cache(maxsize=64)
def _pattern(pattern: str) -> babel_numbers.NumberPattern:
    return babel_numbers.parse_pattern(pattern)


@lru_cache(maxsize=8)
def _babel(locale: str) -> Locale:
    return Locale.parse(locale)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(value, digits: int = 0, lang: str | None = None, trim: bool = False) -> str:
    """`value` with `digits` decimals; `trim` drops trailing zeros (2.50 → 2,5; 3.00 → 3)."""
    number = _decimal(value)
    if number is None:
        return NONE
    return _number(str(number), digits, _locale(lang), trim)


@lru_cache(maxsize=4096)
def _number(value: str, digits: int, locale: str, trim: bool) -> str:
    """Kept: a ledger page writes the same few quantities on many lines, and Babel formats
    each anew."""
    pattern = "#,##0" + ("." + ("#" if trim else "0") * digits if digits else "")
    return babel_numbers.format_decimal(
        Decimal(value), format=_pattern(pattern), locale=_babel(locale), decimal_quantization=True
    )


def format_quantity(value, lang: str | None = None) -> str:
    """A quantity of a resource: up to two decimals, none when it is whole."""
    return format_number(value, 2, lang, trim=True)


def format_money(value, currency: str = "EUR", lang: str | None = None, digits: int = 2) -> str:
    """An amount with its currency, placed as the language places it."""
    number = _decimal(value)
    if number is None:
        return NONE
    return _money(str(number), currency, _locale(lang), digits)


@lru_cache(maxsize=4096)
def _money(value: str, currency: str, locale: str, digits: int) -> str:
    """Kept: Babel looks the currency's names up on each call, and pages write the same
    prices and totals on every line and every view."""
    number = Decimal(value)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    pattern = pattern + "\u00a0¤" if locale == "fr" else "¤" + pattern
    try:
        return babel_numbers.format_currency(
            number, currency, format=_pattern(pattern), locale=_babel(locale), currency_digits=False
        )
    except babel_numbers.UnknownCurrencyError:
        return f"{format_number(number, digits, locale)}\u00a0{currency}"


def format_money_in_words(value, currency: str = "EUR", lang: str | None = None) -> str:
    """An amount written out, as receipts and cheques ask ("mille deux cent trente-quatre
    euros et cinquante centimes"); the figures' form where the language or currency is
    unknown to the speller."""
    from num2words import CONVERTER_CLASSES, num2words  # only receipts need it

    number = _decimal(value)
    locale = _locale(lang)
    converter = CONVERTER_CLASSES.get(locale)
    forms = getattr(converter, "CURRENCY_FORMS", {}).get(currency)
    if number is None or number < 0 or forms is None:
        return format_money(value, currency, lang)
    units, cents = divmod(int(number.quantize(Decimal("0.01")) * 100), 100)
    words = _whole(units, locale, converter.pluralize(units, forms[0]))
    if not cents:
        return words
    small = num2words(cents, lang=locale) + " " + converter.pluralize(cents, forms[1])
    if not units:
        return small
    return words + (" et " if locale == "fr" else ", ") + small


def _whole(units: int, locale: str, name: str) -> str:
    from num2words import num2words

    words = num2words(units, lang=locale)
    # French says "un million d'euros": de before a noun after million and milliard.
    if locale == "fr" and words.endswith(("million", "millions", "milliard", "milliards")):
        return f"{words} d’{name}" if name[0] in "aeiouy" else f"{words} de {name}"
    return f"{words} {name}"


def format_ratio(value, lang: str | None = None, digits: int = 2) -> str:
    """A ratio or a multiplier (benefits / costs): `digits` decimals, "—" when undefined."""
    return format_number(value, digits, lang)


def format_percent(value, lang: str | None = None, digits: int = 0) -> str:
    """A share between 0 and 1 as a percentage ("28 %" in French, "28%" in English)."""
    number = _decimal(value)
    if number is None:
        return NONE
    locale = _locale(lang)
    sign = "\u202f%" if locale == "fr" else "%"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + sign
    return babel_numbers.format_percent(number, format=_pattern(pattern), locale=_babel(locale))


def format_date(value, lang: str | None = None, style: str = "medium") -> str:
    """A day: "20 déc. 2026" / "Dec 20, 2026" (style "long" spells the month in full)."""
    if value is None or value == "":
        return NONE
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return babel_dates.format_date(value, format=style, locale=_babel(_locale(lang)))


def format_time(value, lang: str | None = None) -> str:
    """A time of day: "12 h 30" / "14 h" in French, "12:30 PM" in English."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    locale = _locale(lang)
    if locale == "fr":
        return f"{value.hour} h {value.minute:02d}" if value.minute else f"{value.hour} h"
    return babel_dates.format_time(value, format="short", locale=locale)


def format_datetime(value, lang: str | None = None) -> str:
    """A moment: "20 déc. 2026, 12 h 30"."""
    if value is None:
        return NONE
    return f"{format_date(value, lang)}, {format_time(value, lang)}"


def format_datetime_range(start, end, lang: str | None = None) -> str:
    """A span: "20 déc. 2026, 12 h 30 – 14 h", the day written once when it is the same."""
    if start is None:
        return NONE
    if end is None:
        return format_datetime(start, lang)
    if timezone.is_aware(start):
        start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return f"{format_datetime(start, lang)} – {format_time(end, lang)}"
    return f"{format_datetime(start, lang)} – {format_datetime(end, lang)}"


def format_date_range(start, end, lang: str | None = None) -> str:
    """A period of days: "1 janv. 2026 – 31 déc. 2026"."""
    return f"{format_date(start, lang)} – {format_date(end, lang)}"


# The units of the default catalogue and of the built-in kinds, in both languages; a
# unit a platform invents is shown as written.
UNITS = {
    "article": ngettext_lazy("article", "articles", "n"),
    "day": ngettext_lazy("day", "days", "n"),
    "deal": ngettext_lazy("deal", "deals", "n"),
    "desk-month": ngettext_lazy("desk-month", "desk-months", "n"),
    "hour": ngettext_lazy("hour", "hours", "n"),
    "item": ngettext_lazy("item", "items", "n"),
    "month": ngettext_lazy("month", "months", "n"),
    "night": ngettext_lazy("night", "nights", "n"),
    "unit": ngettext_lazy("unit", "units", "n"),
    "visit": ngettext_lazy("visit", "visits", "n"),
    "payment": ngettext_lazy("payment", "payments", "n"),
}


def format_unit(unit: str, quantity=1) -> str:
    """The unit's name in the active language, singular or plural as `quantity` asks."""
    if unit not in UNITS:
        return unit
    number = _decimal(quantity)
    count = 1 if number is not None and abs(number) <= 1 else 2
    return _unit_name(unit, count, translation.get_language())


@lru_cache(maxsize=256)
def _unit_name(unit: str, count: int, language: str | None) -> str:
    """Kept per language: a lazy plural is looked up again each time it is written, and a
    ledger page writes one per line."""
    return str(UNITS[unit] % {"n": count})


def format_amount_of(quantity, unit: str) -> str:
    """A quantity and its unit: "2,5 heures", "1 night"."""
    return f"{format_quantity(quantity)}\u00a0{format_unit(unit, quantity)}"


def format_measure(value, unit: str, lang: str | None = None) -> str:
    """A quantity in its unit, or an amount when the "unit" is a currency code (a
    break-even lever may be a rent in money or desks in months)."""
    code = unit or ""
    if len(code) == 3 and code.isalpha() and code.isupper():
        return format_money(value, code, lang)
    return format_amount_of(value, code)


def format_share(value, lang: str | None = None) -> str:
    """A fraction as a percentage, one decimal only when needed: 0.25 → 25 %, 0.125 → 12,5 %."""
    return _share(str(_decimal(value) or Decimal(0)), _locale(lang))


@lru_cache(maxsize=512)
def _share(value: str, lang: str) -> str:
    """Kept: a catalogue has a few shares, and every line of a ledger page writes three."""
    number = Decimal(value)
    digits = 0 if (number * 100) == (number * 100).to_integral_value() else 1
    return format_percent(number, lang, digits)


def format_explanation(quantity, unit, proxy, adjustments, value, currency: str) -> str:
    """How a value is reached, for people: "36 postes-mois × 400,00 € × (1 − 25 %) … =
    10 800,00 €". A declared amount (unit = currency) is already money: no proxy shown."""
    declared = unit == currency
    first = format_money(quantity, currency) if declared else format_amount_of(quantity, unit)
    parts = [first] if declared else [first, format_money(proxy, currency)]
    parts += [f"(1 − {format_share(a)})" for a in adjustments]
    return " × ".join(parts) + f" = {format_money(value, currency)}"

"""Numbers, money and dates as the reader's language writes them.

One place for pages, charts, PDFs and text reports: thousands separated, two decimals for
money, a few significant digits for ratios, the currency placed as the language places it
("1 234,50 €" in French, "€1,234.50" in English). Files and the API keep ISO dates and
plain machine numbers; these functions are for people only.

Every function takes an optional `lang`; without it the active Django language is used.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.utils import timezone, translation

NONE = "—"


def _locale(lang: str | None) -> str:
    code = (lang or translation.get_language() or "fr").split("-")[0].lower()
    return code if code in {"fr", "en"} else "fr"


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
    pattern = "#,##0" + ("." + ("#" if trim else "0") * digits if digits else "")
    return babel_numbers.format_decimal(
        number, format=pattern, locale=_locale(lang), decimal_quantization=True
    )


def format_quantity(value, lang: str | None = None) -> str:
    """A quantity of a resource: up to two decimals, none when it is whole."""
    return format_number(value, 2, lang, trim=True)


def format_money(value, currency: str = "EUR", lang: str | None = None, digits: int = 2) -> str:
    """An amount with its currency, placed as the language places it."""
    number = _decimal(value)
    if number is None:
        return NONE
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    locale = _locale(lang)
    pattern = pattern + "\u00a0¤" if locale == "fr" else "¤" + pattern
    try:
        return babel_numbers.format_currency(
            number, currency, format=pattern, locale=locale, currency_digits=False
        )
    except babel_numbers.UnknownCurrencyError:
        return f"{format_number(number, digits, lang)}\u00a0{currency}"


def format_ratio(value, lang: str | None = None, digits: int = 2) -> str:
    """A ratio or a multiplier (benefits / costs): `digits` decimals, "—" when undefined."""
    return format_number(value, digits, lang)


def format_percent(value, lang: str | None = None, digits: int = 0) -> str:
    """A share between 0 and 1 as a percentage ("28 %" in French, "28%" in English)."""
    number = _decimal(value)
    if number is None:
        return NONE
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return babel_numbers.format_percent(number, format=pattern, locale=_locale(lang))


def format_date(value, lang: str | None = None, style: str = "medium") -> str:
    """A day: "20 déc. 2026" / "Dec 20, 2026" (style "long" spells the month in full)."""
    if value is None or value == "":
        return NONE
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return babel_dates.format_date(value, format=style, locale=_locale(lang))


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

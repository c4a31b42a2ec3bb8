"""Numbers, money and dates written as each language writes them."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from tribu.core.formats import (
    format_date,
    format_datetime_range,
    format_money,
    format_number,
    format_quantity,
    format_ratio,
)

NBSP = {"\u00a0", "\u202f"}


def plain(text: str) -> str:
    return "".join(" " if c in NBSP else c for c in text)


def test_money_in_french_and_english():
    assert plain(format_money(Decimal("28900"), "EUR", "fr")) == "28 900,00 €"
    assert format_money(Decimal("10880"), "EUR", "en") == "€10,880.00"
    assert plain(format_money(Decimal("-3.5"), "EUR", "fr")) == "-3,50 €"


def test_numbers_and_ratios_follow_the_active_language():
    with translation.override("fr"):
        assert plain(format_number(151200)) == "151 200"
        assert format_ratio(Decimal("0.28313344246031746")) == "0,28"
        assert format_quantity(Decimal("2.50")) == "2,5"
    with translation.override("en"):
        assert format_number(151200) == "151,200"
        assert format_ratio(Decimal("0.28313344246031746")) == "0.28"
        assert format_quantity(Decimal("3.00")) == "3"


def test_undefined_values_read_as_a_dash():
    assert format_ratio(None) == "—"
    assert format_money(None) == "—"


def test_dates_and_spans():
    paris = ZoneInfo("Europe/Paris")
    start = datetime(2026, 12, 20, 12, 30, tzinfo=paris)
    end = datetime(2026, 12, 20, 14, 0, tzinfo=paris)
    assert format_date(date(2026, 12, 20), "fr") == "20 déc. 2026"
    assert plain(format_datetime_range(start, end, "fr")) == "20 déc. 2026, 12 h 30 – 14 h"
    assert plain(format_datetime_range(start, end, "en")).startswith("Dec 20, 2026, 12:30")


@pytest.mark.parametrize(
    ("amount", "lang", "words"),
    [
        ("80", "fr", "quatre-vingts euros"),
        ("1", "fr", "un euro"),
        ("0.01", "fr", "un centime"),
        ("21.10", "fr", "vingt et un euros et dix centimes"),
        ("2000000", "fr", "deux millions d’euros"),
        ("1234.50", "en", "one thousand, two hundred and thirty-four euro, fifty cents"),
    ],
)
def test_amounts_are_written_out_for_receipts(amount, lang, words):
    from tribu.core.formats import format_money_in_words

    assert format_money_in_words(Decimal(amount), "EUR", lang) == words


def test_an_amount_the_speller_cannot_write_out_keeps_its_figures():
    from tribu.core.formats import format_money_in_words

    assert format_money_in_words(Decimal("12"), "XYZ", "fr") == "12,00\u00a0XYZ"

"""Money and units as people read them: the balance CSV itemises the market tier, and
the balance page, the break-even box and the text report write amounts with the
formatting helper and quantities in their unit's words, in French and in English."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.conftest import web_tribe  # noqa: F401  (the fixture)
from tribu.cli import main
from tribu.core.formats import format_money
from tribu.ledger.models import ResourceSpecification


def _rows(text: str) -> list[dict]:
    table = list(csv.reader(io.StringIO(text)))
    return [dict(zip(table[0], row, strict=True)) for row in table[1:]]


def test_the_balance_csv_itemises_the_market_tier(web_tribe, capsys):  # noqa: F811
    main(
        ["--language", "en", "report", "--platform", "essai", "--agent", "hote", "--format", "csv"]
    )
    rows = _rows(capsys.readouterr().out)
    (rent,) = [r for r in rows if r["section"] == "market_costs"]
    assert (rent["key"], rent["quantity"], rent["event_count"]) == ("rent", "1", "1")
    assert (rent["central"], rent["currency"]) == ("1000.00", "EUR")
    assert rent["unit"] == ResourceSpecification.objects.get(slug="rent").unit
    total = next(r for r in rows if r["key"] == "market_costs")
    assert total["central"] == rent["central"]
    # The itemised lines come before the totals they add up to.
    assert rows.index(rent) < rows.index(total)


@pytest.mark.parametrize(
    ("language", "item", "money"),
    [
        ("fr", "1\u00a0mois, 1 flux", "1\u202f000,00\u00a0€"),
        ("en", "1\u00a0month, 1 flow", "€1,000.00"),
    ],
)
def test_the_balance_page_writes_units_and_money(web_tribe, language, item, money):  # noqa: F811
    client = Client()
    client.force_login(web_tribe.hana.user)
    html = client.get(
        reverse("balance-sheet", args=["essai"]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert item in html
    assert money in html
    # The break-even box: the gap and the rent in money, not "1 234,56 EUR".
    assert not re.search(r"\d[.,]\d\d EUR", html)
    box = html[html.index('id="payoff"') :]
    assert format_money("1000", "EUR", language) in box


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("fr", "Loyer : 1\u202f000,00\u00a0€ (1\u00a0mois, 1 flux)"),
        ("en", "Rent: €1,000.00 (1\u00a0month, 1 flow)"),
    ],
)
def test_the_text_report_formats_market_lines(web_tribe, capsys, language, line):  # noqa: F811
    main(["--language", language, "report", "--platform", "essai", "--agent", "hote"])
    out = capsys.readouterr().out
    assert line in out, out
    assert not re.search(r"\d[.,]\d\d EUR", out)

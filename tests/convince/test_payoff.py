"""What would make Le Sentier pay off: numbers on the page, in the API and in
`tribu report`, all equal to the engine's, with the market tier itemised."""

import io
import json
import re
from contextlib import redirect_stdout
from datetime import date
from decimal import Decimal

from django.test import Client

from tribu.agents.models import Agent
from tribu.api.tokens import issue_token
from tribu.cli import main
from tribu.core.formats import format_money
from tribu.demo import sentier
from tribu.reports.balance import agent_balance

DRAWS = 200


def _report(platform) -> dict:
    out = io.StringIO()
    argv = ["report", "--platform", platform.slug, "--agent", platform.host.slug]
    with redirect_stdout(out):
        assert main([*argv, "--format", "json", "--draws", str(DRAWS)]) == 0
    return json.loads(out.getvalue())


def _check_engine_figures(sheet: dict) -> None:
    be = sheet["break_even"]
    assert be["direction"] == "rise"  # the demo's ratio is below 1
    b, c = Decimal(sheet["extended"]["benefits"]), Decimal(sheet["extended"]["costs"])
    market = sheet["tiers"]["market"]["lines"]
    rent = sum(Decimal(m["amount"]) for m in market["costs"] if m["key"] == "rent")
    assert Decimal(be["rent"]["needed"]) == b - (c - rent)
    assert all(line["needed"] is not None and Decimal(line["multiple"]) > 1 for line in be["lines"])
    desk = next(line for line in be["lines"] if line["key"] == "desk-month")
    # A desk-month is worth 400 × (1 − 0.25) = 300: q* = q + (C − B) / 300.
    expected = Decimal(desk["quantity"]) + (c - b) / Decimal(300)
    assert Decimal(desk["needed"]) == expected.quantize(Decimal("0.01"))
    assert [m["key"] for m in market["revenue"]] == ["learning-expedition"]
    total = sum(Decimal(m["amount"]) for m in market["revenue"])
    assert total == Decimal(sheet["tiers"]["market"]["revenue"])


def test_le_sentier_answers_what_would_make_it_pay_off_with_numbers(db):
    platform = sentier.build(date.today(), lambda _m: None)
    sheet = agent_balance(platform, platform.host, draws=DRAWS)
    _check_engine_figures(sheet)
    be = sheet["break_even"]
    assert _report(platform)["break_even"] == be

    hana = Agent.objects.get(platform=platform, slug="hana")
    api = Client(headers={"authorization": f"Bearer {issue_token(hana.user.username)}"})
    url = f"/api/platforms/{platform.slug}/reports/balance?draws={DRAWS}"
    assert api.get(url).json()["break_even"] == be

    web = Client()
    web.force_login(hana.user)
    html = web.get(f"/p/{platform.slug}/balance/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Qu’est-ce qui le rendrait rentable" in html
    assert "remonte à 1" in html and "jamais, dans la plage" not in html
    per_month = Decimal(be["rent"]["needed_per_month"])
    assert f"{format_money(per_month, 'EUR', 'fr')} par mois" in html
    assert not re.search(r"\d,\d\d EUR", html)


def test_the_demo_forecast_meets_the_ledger_quarter_by_quarter(db):
    from tribu.forecasts import demo
    from tribu.forecasts.actual import versus_actual
    from tribu.forecasts.models import ForecastVersion

    platform = sentier.build(date.today(), lambda _m: None)
    demo.extend({"le-sentier": platform}, lambda _m: None)
    rows = versus_actual(ForecastVersion.objects.get(platform=platform))["rows"]
    assert len({row["quarter"] for row in rows}) == 4
    desks = [row for row in rows if row["key"] == "desk-month"]
    assert sum(Decimal(row["actual_quantity"]) for row in desks) > 0
    for row in rows:
        parts = Decimal(row["quantity_effect"]) + Decimal(row["price_effect"])
        assert abs(parts - Decimal(row["gap"])) <= Decimal("0.02")

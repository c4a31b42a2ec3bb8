"""Forecasts: a template from the carrier, versions never overwritten, the engine's
figures, break-even over the horizon, bad input refused with nothing written, and
forecast against actual split into quantity and price."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.test import Client

from tests.convince.conftest import entry
from tests.factories import record
from tribu.api.tokens import issue_token
from tribu.core.errors import TribuError
from tribu.forecasts import services
from tribu.forecasts.actual import versus_actual
from tribu.forecasts.models import ForecastVersion
from tribu.ledger.services import confirm_event


def test_a_company_host_template_lists_the_founding_texts_benefits(essai):
    keys = [line["key"] for line in services.template_entry(essai.platform)["lines"]]
    assert keys == [
        "hotel-night",
        "event-space-day",
        "desk-month",
        "learning-expedition",
        "business-referral",
        "press-coverage",
        "volunteer-hour",
    ]
    sponsor = services.template_entry(essai.platform, "activist_association")["lines"]
    assert {line["stakeholder"] for line in sponsor} == {"sponsor", "community"}


def test_versions_are_added_never_overwritten(essai):
    first = services.save_forecast(essai.platform, essai.hana.user, entry())
    second = services.save_forecast(essai.platform, essai.hana.user, entry(years=2))
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(DatabaseError), transaction.atomic():
        ForecastVersion.objects.filter(pk=first.pk).update(note="rewritten")
    assert ForecastVersion.objects.get(pk=first.pk).entry["years"] == 1


def test_one_year_forecast_figures_by_hand(essai):
    version = services.save_forecast(essai.platform, essai.hana.user, entry())
    result = services.evaluate_version(version, draws=500)
    # Benefits, year one discounted once at 3.5 %: (20 × 300 + 2 × 2,000) / 1.035.
    benefits = Decimal(10000) / Decimal("1.035")
    costs = Decimal(14000)  # 12 × 1,000 + 2,000, paid at the start: not discounted
    assert Decimal(str(result["central"]["present_value"])).quantize(Decimal("0.01")) == (
        benefits.quantize(Decimal("0.01"))
    )
    assert result["central"]["inputs"] == 14000
    assert result["monte_carlo"]["draws"] == 500 and "p_sroi_above_1" in result["monte_carlo"]
    assert result["tornado"] and result["quantity_tornado"]
    be = result["break_even"]
    gap = costs - benefits
    # Rent: 12 months paid at the start, so each euro of monthly rent costs 12.
    assert Decimal(be["rent"]["needed_per_month"]) == (Decimal(1000) - gap / 12).quantize(
        Decimal("0.01")
    )
    desk = be["lines"][0]
    assert Decimal(desk["needed"]) == (20 + gap / (Decimal(300) / Decimal("1.035"))).quantize(
        Decimal("0.01")
    )
    assert desk["reason"] == "above_ceiling" and desk["unit"] == "desk-month"
    assert be["alone"] is False and be["pair"] is not None


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            {
                "lines": [
                    {"key": "desk-month", "quantity": {"low": "5", "central": "2", "high": "9"}}
                ]
            },
            "du plus bas au plus haut",
        ),
        ({"lines": [{"key": "desk-month", "quantity": "-3"}]}, "ne peut pas être négatif"),
        ({"carrier": "pirate"}, "type de porteur inconnu"),
        ({"years": 4}, "un à trois ans"),
        ({"lines": [{"key": "unicorn", "quantity": "1"}]}, "pas dans le catalogue"),
        ({"lines": [{"key": "learning-expedition", "quantity": "2"}]}, "indiquez son prix"),
    ],
)
def test_bad_input_is_refused_in_words_and_nothing_is_written(essai, change, words):
    with pytest.raises(TribuError, match=words):
        services.save_forecast(essai.platform, essai.hana.user, entry(**change))
    assert not ForecastVersion.objects.exists()


def test_forecast_against_actual_splits_the_gap(essai):
    platform = essai.platform
    platform.opening_date = date(2026, 1, 1)
    platform.save()
    version = services.save_forecast(platform, essai.hana.user, entry())
    # 8 desk-months received in the first quarter against 20 / 4 = 5 forecast.
    event = record(
        essai, essai.alice, "desk-month", essai.alice, essai.host, 8, on=date(2026, 2, 10)
    )
    confirm_event(event, essai.hana)
    rows = versus_actual(version, today=date(2026, 4, 15))
    first = next(
        r for r in rows["rows"] if r["quarter"] == "2026-01-01" and r["key"] == "desk-month"
    )
    assert first["forecast_value"] == "1500.00"  # 5 × 300
    assert first["actual_value"] == "2400.00"  # 8 × 300
    assert first["quantity_effect"] == "900.00" and first["price_effect"] == "0.00"
    assert {r["quarter"] for r in rows["rows"]} == {"2026-01-01", "2026-04-01"}


def test_pages_api_and_cli_agree_and_residents_cannot_save(essai, capsys):
    web = Client()
    web.force_login(essai.hana.user)
    form = {
        "carrier": "company_host",
        "years": "1",
        "monthly_rent": "1000",
        "other_costs": "2000",
        "note": "",
        "key": ["desk-month"],
        "stakeholder": ["host"],
        "low": ["10"],
        "central": ["20"],
        "high": ["30"],
        "price": [""],
    }
    bad = web.post("/p/essai/forecast/new/", {**form, "low": ["40"]})
    assert bad.status_code == 400 and "du plus bas au plus haut" in bad.content.decode()
    assert not ForecastVersion.objects.exists()
    saved = web.post("/p/essai/forecast/new/", form)
    assert saved.status_code == 302
    page = web.get("/p/essai/forecast/").content.decode()
    api = Client(headers={"authorization": f"Bearer {issue_token(essai.hana.user.username)}"})
    result = api.get("/api/platforms/essai/forecasts/1").json()
    assert f'id="forecast-ratio">{result["central"]["sroi"]:.3f}'.replace(".", ",") in page
    from tribu.cli import main

    assert main(["forecast", "--platform", "essai", "--version", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["break_even"] == result["break_even"]
    resident = Client(headers={"authorization": f"Bearer {issue_token(essai.alice.user.username)}"})
    refused = resident.post(
        "/api/platforms/essai/forecasts", entry(), content_type="application/json"
    )
    assert refused.status_code == 403
    wrong = api.post(
        "/api/platforms/essai/forecasts",
        entry(lines=[{"key": "desk-month", "quantity": {"low": 3, "central": 2, "high": 1}}]),
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "du plus bas au plus haut" in wrong.json()["message"]
    assert ForecastVersion.objects.count() == 1


def test_a_draft_platform_gets_a_forecast_from_its_founders(essai):
    essai.platform.status = "draft"
    essai.platform.save()
    version = services.save_forecast(essai.platform, essai.hana.user, entry(years=3))
    result = services.evaluate_version(version, draws=200)
    assert result["central"]["sroi"] is not None and result["version"]["status"] == "draft"


def _yearly_entry() -> dict:
    """Three years; billed visits (price 2,000, no adjustment) 2, then 5, then 2."""
    visits = {"low": "1", "central": "2", "high": "3"}
    later = {"low": "4", "central": "5", "high": "6"}
    return entry(
        years=3,
        lines=[
            {
                "key": "learning-expedition",
                "stakeholder": "host",
                "quantity": [visits, later, visits],
                "price": "2000",
            }
        ],
    )


def test_a_three_year_forecast_whose_second_year_differs(essai):
    version = services.save_forecast(essai.platform, essai.hana.user, _yearly_entry())
    line = version.entry["lines"][0]
    assert line["quantity"] == {"low": "1", "central": "2", "high": "3"}
    assert [q["central"] for q in line["yearly"]] == ["2", "5", "2"]
    outcome = version.impact_map["outcomes"][0]
    assert outcome["quantity"][1] == {"low": 4, "central": 5, "high": 6}
    result = services.evaluate_version(version, draws=400)
    assert result["central"]["impact_by_year"] == [4000, 10000, 4000]
    assert result["pessimistic"]["impact_by_year"] == [2000, 8000, 2000]
    assert result["optimistic"]["impact_by_year"] == [6000, 12000, 6000]
    # Only the quantities are uncertain, and the Monte Carlo draws them.
    mc = result["monte_carlo"]
    assert mc["sroi"]["p5"] < mc["sroi"]["p95"]
    assert mc == services.evaluate_version(version, draws=400)["monte_carlo"]
    (bar,) = result["quantity_tornado"]
    assert bar["ratio_low"] < result["central"]["sroi"] < bar["ratio_high"]
    low, high = result["quantity_scenarios"]
    assert low["ratio"] == result["pessimistic"]["sroi"]
    assert high["ratio"] == result["optimistic"]["sroi"]


def test_yearly_quantities_must_match_the_years(essai):
    bad = _yearly_entry()
    bad["years"] = 2
    with pytest.raises(TribuError, match="une quantité par année"):
        services.save_forecast(essai.platform, essai.hana.user, bad)
    bad = _yearly_entry()
    bad["lines"][0]["quantity"][1] = {"low": "7", "central": "5", "high": "6"}
    with pytest.raises(TribuError, match="année 2"):
        services.save_forecast(essai.platform, essai.hana.user, bad)
    assert not ForecastVersion.objects.exists()


def test_the_form_takes_a_later_year(essai):
    client = Client()
    client.force_login(essai.hana.user)
    url = f"/p/{essai.platform.slug}/forecast/new/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="central2"' in page.content.decode()
    n = len(services.template_entry(essai.platform)["lines"])
    post = {
        "carrier": "company_host",
        "years": "3",
        "monthly_rent": "1000",
        "other_costs": "0",
        "key": [line["key"] for line in services.template_entry(essai.platform)["lines"]],
        "stakeholder": ["host"] * n,
        "low": ["1"] * n,
        "central": ["2"] * n,
        "high": ["3"] * n,
        "price": [
            "2000" if line.get("price") else ""
            for line in services.template_entry(essai.platform)["lines"]
        ],
        "low2": ["4"] + [""] * (n - 1),
        "central2": ["5"] + [""] * (n - 1),
        "high2": ["6"] + [""] * (n - 1),
        "low3": [""] * n,
        "central3": [""] * n,
        "high3": [""] * n,
    }
    response = client.post(url, post)
    assert response.status_code == 302, response.content.decode()[:2000]
    version = ForecastVersion.objects.get()
    first, second = version.entry["lines"][:2]
    assert [q["central"] for q in first["yearly"]] == ["2", "5", "2"]
    assert "yearly" not in second


def test_forecast_against_actual_takes_each_years_quantity(essai):
    yearly = _yearly_entry()
    yearly["start"] = "2024-01-01"
    version = services.save_forecast(essai.platform, essai.hana.user, yearly)
    rows = versus_actual(version, today=date(2026, 12, 31))["rows"]
    # Quarters of year 1 expect 2 / 4 visits, of year 2 5 / 4, of year 3 2 / 4 again.
    assert [row["forecast_quantity"] for row in rows[::4]] == ["0.50", "1.25", "0.50"]
    assert rows[4]["forecast_value"] == "2500.00"  # 1.25 × 2,000

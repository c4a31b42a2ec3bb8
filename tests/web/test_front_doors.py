"""The web pages, the API and the `tribu` command give the same answers to the same question."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from tribu.api.tokens import issue_token
from tribu.cli import main
from tribu.ledger.catalogue import edit_catalogue
from tribu.ledger.models import ResourceSpecification

from .conftest import login


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def hostile_names(web_tribe):
    """A kind of value whose name a spreadsheet would run as a formula, with a proxy source."""
    ResourceSpecification.objects.filter(platform=web_tribe.platform, slug="day-pass").update(
        name_fr="=HYPERLINK(1)", name_en="=HYPERLINK(1)"
    )
    # The catalogue's history is append-only: the source changes by a new version.
    edit_catalogue(web_tribe.platform, web_tribe.host, {"day-pass": {"source": "@Tarifs publics"}})
    return web_tribe


def test_the_three_doors_give_the_same_balance_csv(hostile_names, capsys):
    tribe = hostile_names
    web = login(Client(), tribe.alice).get(reverse("balance-csv", args=["essai"]))
    token = issue_token("alice-essai")
    api = Client(headers={"authorization": f"Bearer {token}"}).get(
        "/api/platforms/essai/reports/balance.csv"
    )
    capsys.readouterr()
    code = main(
        ["--language", "fr", "report", "--platform", "essai", "--agent", "hote", "--format", "csv"]
    )
    command = capsys.readouterr().out
    assert code == 0 and api.status_code == 200, api.content
    assert api["Content-Type"].startswith("text/csv")
    assert rows(web.content.decode()) == rows(api.content.decode()) == rows(command)


def test_the_balance_csv_defuses_formulas_and_names_proxy_sources(hostile_names, capsys):
    main(
        ["--language", "en", "report", "--platform", "essai", "--agent", "hote", "--format", "csv"]
    )
    table = rows(capsys.readouterr().out)
    header, body = table[0], table[1:]
    line = next(dict(zip(header, row, strict=True)) for row in body if row[1] == "day-pass")
    assert line["label"] == "'=HYPERLINK(1)"
    assert line["source"].startswith("'@Tarifs publics")
    assert not any(cell.startswith(("=", "+", "@")) for row in body for cell in row)


def test_the_balance_csv_gives_ratios_with_two_decimals(web_tribe, capsys):
    main(
        ["--language", "en", "report", "--platform", "essai", "--agent", "hote", "--format", "csv"]
    )
    table = rows(capsys.readouterr().out)
    ratio = next(row for row in table if row[1] == "ratio")
    central = ratio[table[0].index("central")]
    assert central and len(central.split(".")[1]) == 2


def test_the_balance_page_simulates_once(client, web_tribe, monkeypatch):
    """The histogram's draws come from the balance sheet's own Monte Carlo."""
    import tribu.valuation.montecarlo as montecarlo

    started = []
    real = montecarlo.default_rng
    monkeypatch.setattr(montecarlo, "default_rng", lambda seed: started.append(seed) or real(seed))
    login(client, web_tribe.alice)
    response = client.get(reverse("balance-sheet", args=["essai"]))
    assert response.status_code == 200
    assert len(started) == 1


def test_the_cause_page_and_the_balance_page_give_the_same_interval(client, web_tribe):
    login(client, web_tribe.alice)
    cause = client.get(reverse("platform-detail", args=["essai"])).context["headline"]
    sheet = client.get(reverse("balance-sheet", args=["essai"])).context["sheet"]
    interval = sheet["monte_carlo"]["ratio"]
    assert cause["interval"]
    assert (cause["interval"]["p5"], cause["interval"]["p95"]) == (interval["p5"], interval["p95"])

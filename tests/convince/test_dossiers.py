"""Funding dossiers: the PDF's figures are the API's, the three kinds render, and bad
input is refused in words."""

import io
import re

from django.template.defaultfilters import floatformat
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from tests.convince.conftest import entry
from tribu.api.tokens import issue_token
from tribu.cli import main
from tribu.core.formats import format_money
from tribu.dossiers.sponsorship import sponsorship
from tribu.forecasts import services


def _text(pdf: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", text)


def _fr(value, places: int) -> str:
    """As the pages show it: Django's floatformat (half up), French grouping."""
    with translation.override("fr"):
        shown = floatformat(str(value), f"{places}g")
    return re.sub(r"\s+", "", shown)


def _api(tribe, user):
    return Client(headers={"authorization": f"Bearer {issue_token(user.user.username)}"})


def test_the_sponsor_dossier_shows_the_apis_figures(running):
    services.save_forecast(running.platform, running.hana.user, entry())
    api = _api(running, running.hana)
    sheet = api.get("/api/platforms/essai/reports/balance").json()
    forecast = api.get("/api/platforms/essai/forecasts/1").json()
    response = api.get("/api/platforms/essai/dossiers/sponsor?gift=30000&turnover=10000000")
    assert response.status_code == 200 and response["content-type"] == "application/pdf"
    text = _text(response.content)
    assert _fr(sheet["extended"]["ratio"], 3) in text
    assert _fr(sheet["extended"]["net"], 2) in text
    assert _fr(sheet["break_even"]["rent"]["needed_per_month"], 2) in text
    assert _fr(forecast["central"]["sroi"], 3) in text
    tax = sponsorship(30000, 10_000_000)
    # Money as the pages write it (tribu.core.formats), never a bare currency code.
    net_cost = re.sub(r"\s+", "", format_money(tax["net_cost"], "EUR", "fr"))
    assert net_cost.endswith("€") and net_cost in text and "238bis" in text
    # (Proxy sources may quote "180 EUR"; no figure of the dossier is written that way.)
    assert not re.search(r"\d,\d\dEUR", text)
    assert "2041-MEC-SD" in text and "annexedusceptique" in text


def test_the_three_dossiers_render_in_both_languages_from_the_cli(running, tmp_path):
    for kind, language, words in [
        ("investor", "en", "Investordossier"),
        ("foundation", "fr", "protocoledel’expérience"),
        ("sponsor", "fr", "Dossierdemécénat"),
    ]:
        out = tmp_path / f"{kind}.pdf"
        argv = ["--language", language, "dossier", "--platform", "essai", "--kind", kind]
        assert main([*argv, "--out", str(out)]) == 0
        assert words in _text(out.read_bytes())


def test_bad_input_is_refused_in_words_and_members_only(running, tmp_path, capsys):
    api = _api(running, running.hana)
    missing = api.get("/api/platforms/essai/dossiers/sponsor?gift=30000")
    assert missing.status_code == 400 and "chiffre d’affaires" in missing.json()["message"]
    unknown = api.get("/api/platforms/essai/dossiers/pirate")
    assert unknown.status_code == 400 and "type de dossier inconnu" in unknown.json()["message"]
    out = tmp_path / "x.pdf"
    argv = ["dossier", "--platform", "essai", "--kind", "sponsor", "--gift", "5", "--out"]
    assert main([*argv, str(out)]) != 0
    assert not out.exists() and "chiffre d’affaires" in capsys.readouterr().err
    web = Client()
    web.force_login(running.hana.user)
    page = web.get("/p/essai/dossier/?kind=sponsor&gift=100")
    assert page.status_code == 400 and "chiffre d’affaires" in page.content.decode()
    assert Client().get("/api/platforms/essai/dossiers/foundation").status_code == 401


def test_a_company_gift_gives_a_receipt_row_and_the_investor_sees_its_platforms(running):
    from datetime import date, timedelta

    from tests.factories import record
    from tribu.agents.models import AgentKind
    from tribu.dossiers.services import carried_platforms, receipts
    from tribu.ledger.services import confirm_event
    from tribu.platforms.services import add_agent, represent
    from tribu.reports.balance import default_period

    company = add_agent(running.platform, slug="acme", name="Acme SA", kind=AgentKind.ORGANIZATION)
    represent(company, running.bob)
    day = date.today().replace(day=1) - timedelta(days=5)
    gift = record(
        running,
        running.hana,
        "in-kind-goods",
        company,
        running.host,
        1,
        on=day,
        declared_value=1200,
    )
    confirm_event(gift, running.bob)
    rows = receipts(running.platform, default_period(), "fr")
    assert [(r["donor"], r["amount"], r["form"]) for r in rows] == [
        ("Acme SA", "1200.00", "en nature")
    ]
    assert [p["name"] for p in carried_platforms(running.platform, "fr")] == ["Tribu essai"]

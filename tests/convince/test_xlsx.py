"""The balance sheet as XLSX: numbers as numbers, one sheet per tier, the same figures
as the API, user text kept as text."""

import io

from django.test import Client
from openpyxl import load_workbook

from tribu.api.tokens import issue_token
from tribu.cli import main
from tribu.ledger.models import ResourceSpecification


def test_the_workbook_holds_the_apis_figures_as_numbers(running):
    api = Client(headers={"authorization": f"Bearer {issue_token(running.hana.user.username)}"})
    sheet = api.get("/api/platforms/essai/reports/balance").json()
    response = api.get("/api/platforms/essai/reports/balance.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Niveau marchand",
        "Niveau non marchand",
        "Résultat",
        "Point mort",
        "Hypothèses et sources",
    ]
    market = {row[1]: row for row in book["Niveau marchand"].iter_rows(values_only=True)}
    assert market["Loyer"][5] == 1000.0 and market["Loyer"][4] == 1  # one flow
    passes = next(
        r
        for r in book["Niveau non marchand"].iter_rows(values_only=True)
        if r[1] == "Journée de coworking"
    )
    line = sheet["tiers"]["non_market"]["benefits"]["lines"][0]
    assert passes[2] == float(line["quantity"]) and passes[9] == float(line["value"]["central"])
    result = book["Résultat"]
    assert result["C4"].value == float(sheet["extended"]["net"])
    assert result["C5"].value == sheet["extended"]["ratio"]
    be = book["Point mort"]
    assert be["C2"].value == float(sheet["break_even"]["rent"]["needed"])


def test_the_page_and_the_cli_give_a_workbook_and_text_stays_text(running, capsysbinary):
    specs = ResourceSpecification.objects.filter(platform=running.platform, slug="day-pass")
    specs.update(name_fr="=1+1")
    web = Client()
    web.force_login(running.hana.user)
    response = web.get("/p/essai/balance.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    # Non-market line, break-even line and assumption: three cells, all text.
    assert [cell.data_type for cell in cells if cell.value == "=1+1"] == ["s"] * 3
    argv = ["report", "--platform", "essai", "--agent", "hote", "--format", "xlsx"]
    assert main(argv) == 0
    assert capsysbinary.readouterr().out[:2] == b"PK"  # a zip: the workbook

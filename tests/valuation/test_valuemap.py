"""The value map spreadsheet in and out: `tribu sroi FILE.xlsx`, `--format xlsx`, the
round trip JSON → XLSX → JSON, and refusals that name the sheet, row and column."""

import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tribu.cli import main
from tribu.reports.valuemap import (
    TEMPLATE_FILES,
    ValueMapError,
    read_value_map,
    template,
    write_value_map,
)
from tribu.valuation import evaluate, parse_impact_map

from .conftest import load_case

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def english():
    """Messages in English here (French is the default; one test checks it)."""
    from django.utils import translation

    with translation.override("en"):
        yield


RICH = {
    "name": "Atelier: every field the engine knows",
    "currency": "EUR",
    "discount_rate": 0.035,
    "discounting": "mid_year",
    "inputs": [
        {"label": "Fit-out", "amount": 10000, "stakeholder": "Host"},
        {"label": "Repairs", "amount": 1250.5, "year": 2, "stakeholder": "Host"},
    ],
    "outcomes": [
        {
            "label": "Repairs instead of purchases",
            "stakeholder": "Residents",
            "change": "Spend less",
            "output": "20 trained",
            "indicator": "Survey",
            "indicator_source": "Survey 2026",
            "quantity": 20,
            "proxy": {"low": 800, "central": 1000, "high": 1300},
            "proxy_label": "A new appliance",
            "proxy_source": "Price survey",
            "deadweight": {"low": 0.1, "central": 0.25, "high": 0.4},
            "displacement": 0,
            "attribution": 0.2,
            "drop_off": {"low": 0.05, "central": 0.1, "high": 0.2},
            "duration_years": 3,
            "start_year": 2,
        },
        {
            "label": "=Evenings  out\non two lines",  # text that looks like a formula stays text
            "stakeholder": "Neighbours",
            "quantity": [120, 100.5, 80],
            "proxy": 50,
            "deadweight": 0.1,
            "displacement": 0.05,
            "attribution": {"low": 0.1, "central": 0.2, "high": 0.3},
            "cvn_account": "864",
            "key": "evenings",
        },
        {
            "label": "Staff time lent",
            "stakeholder": "Neighbours",
            "quantity": 10,
            "proxy": 30,
            "deadweight": 0,
            "displacement": 0,
            "attribution": 0,
            "direction": "cost",
            "market": True,
        },
        {
            "label": "Press",
            "stakeholder": "Neighbours",
            "quantity": 2,
            "proxy": 500,
            "deadweight": 0,
            "displacement": 0,
            "attribution": 0.5,
            "headline": False,
        },
    ],
    "simulation": {"draws": 3000, "seed": 11},
}


def cents(result: dict) -> dict:
    central = result["central"]
    keys = ("present_value", "inputs", "npv")
    return {key: round(central[key], 2) for key in keys} | {
        "stakeholders": [round(s["present_value"], 2) for s in central["by_stakeholder"]]
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_round_trip_json_xlsx_json_gives_the_same_evaluation(language):
    imap = parse_impact_map(RICH)
    result = evaluate(imap)
    content = write_value_map(imap, result, language)
    again = read_value_map(io.BytesIO(content))
    assert again["discounting"] == "mid_year" and again["simulation"] == RICH["simulation"]
    result_again = evaluate(parse_impact_map(again))
    assert cents(result_again) == cents(result)
    assert round(result_again["monte_carlo"]["pv_mean"], 2) == round(
        result["monte_carlo"]["pv_mean"], 2
    )
    # Every figure, not only the headline: nothing is lost on the way.
    assert result_again == result


def test_the_written_map_holds_the_figures():
    imap = parse_impact_map(RICH)
    result = evaluate(imap)
    book = load_workbook(io.BytesIO(write_value_map(imap, result, "en")))
    assert book.sheetnames == ["Value map", "Settings", "Results"]
    sheet = book["Value map"]
    headings = [cell.value for cell in sheet[3]]
    row = 6  # two inputs, then the first outcome
    assert sheet.cell(row, headings.index("Outcomes (what changes)") + 1).value == (
        "Repairs instead of purchases"
    )
    # Impact in the first year: 20 × 1000 × 0.75 × 1 × 0.8, from year 2.
    assert sheet.cell(row, headings.index("Impact") + 1).value == 12000
    assert sheet.cell(row, headings.index("Year 1") + 1).value == 0
    assert sheet.cell(row, headings.index("Year 2") + 1).value == 12000
    assert sheet.cell(row + 1, headings.index("Outcomes (what changes)") + 1).data_type == "s"
    results = {r[0]: r[1] for r in book["Results"].iter_rows(values_only=True) if r[0]}
    assert results["SROI ratio"] == pytest.approx(result["central"]["sroi"])
    assert results["Discounting"] == "mid-year"
    assert results["Residents"] == pytest.approx(
        result["central"]["by_stakeholder"][0]["present_value"]
    )


def _basic_sheet(change) -> io.BytesIO:
    """The basic case written as a value map, with one cell changed by ``change``."""
    content = write_value_map(parse_impact_map(load_case("sroi-basic.json")), None, "en")
    book = load_workbook(io.BytesIO(content))
    change(book["Value map"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _column(sheet, heading: str) -> int:
    return [cell.value for cell in sheet[3]].index(heading) + 1


def test_a_missing_proxy_is_refused_naming_sheet_row_and_column():
    def blank(sheet):
        sheet.cell(5, _column(sheet, "Proxy value")).value = None

    with pytest.raises(ValueMapError) as caught:
        read_value_map(_basic_sheet(blank))
    error = caught.value
    assert (error.sheet, error.row, error.column) == ("Value map", 5, "O (Proxy value)")
    assert str(error) == (
        "sheet “Value map”, row 5, column O (Proxy value): "
        "the value of the financial proxy is missing"
    )


def test_the_refusal_speaks_french_by_default():
    from django.utils import translation

    def blank(sheet):
        sheet.cell(5, _column(sheet, "Proxy value")).value = None

    with translation.override("fr"), pytest.raises(ValueMapError) as caught:
        read_value_map(_basic_sheet(blank))
    assert str(caught.value) == (
        "feuille « Value map », ligne 5, colonne O (Proxy value) : "
        "la valeur de l’indicateur financier manque"
    )


def test_a_deadweight_of_120_percent_is_refused_naming_sheet_row_and_column():
    def too_much(sheet):
        sheet.cell(5, _column(sheet, "Deadweight")).value = 1.2

    with pytest.raises(ValueMapError) as caught:
        read_value_map(_basic_sheet(too_much))
    assert str(caught.value) == (
        "sheet “Value map”, row 5, column Q (Deadweight): "
        "must be a percentage between 0 and 100, got 120 %"
    )


def test_an_engine_refusal_is_placed_in_its_cell():
    def out_of_order(sheet):
        sheet.cell(5, _column(sheet, "Proxy (low)")).value = 2000
        sheet.cell(5, _column(sheet, "Proxy (high)")).value = 3000

    with pytest.raises(ValueMapError) as caught:
        read_value_map(_basic_sheet(out_of_order))
    assert str(caught.value) == (
        "sheet “Value map”, row 5, column O (Proxy value): low 2000 is above central 1000"
    )


def test_a_bad_setting_is_refused_naming_its_cell():
    content = write_value_map(parse_impact_map(load_case("sroi-basic.json")), None, "en")
    book = load_workbook(io.BytesIO(content))
    book["Settings"]["B3"] = -0.01
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValueMapError) as caught:
        read_value_map(io.BytesIO(out.getvalue()))
    assert str(caught.value) == (
        "sheet “Settings”, row 3, column B (Discount rate): must be ≥ 0, got -0.01"
    )


def test_an_unknown_heading_is_refused():
    def misspelt(sheet):
        sheet.cell(3, _column(sheet, "Drop-off")).value = "Drop-of"

    with pytest.raises(ValueMapError, match=r"row 3, column T \(Drop-of\): unknown heading"):
        read_value_map(_basic_sheet(misspelt))


def _practitioners_sheet(rows: list[list], title: str) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_a_french_value_map_as_practitioners_write_it():
    # Headings as translated by hand: accents, typographic apostrophes, currency signs,
    # "Valeur €" and "Source" taking their meaning from the heading before them,
    # percentages typed as text, the stakeholder written once for two rows.
    rows = [
        ["Carte de la valeur — Atelier"],
        [
            "Parties prenantes",
            "Ressources",
            "Valeur €",
            "Réalisations",
            "Effets",
            "Indicateur",
            "Source",
            "Quantité",
            "Durée",
            "Début des effets",
            "Indicateur financier",
            "Valeur €",
            "Source",
            "Poids mort %",
            "Déplacement %",
            "Attribution %",
            "Érosion %",
            "Impact",
        ],
        ["Bénévoles", "Temps donné", 2000, "", "", "", "", None],
        [
            "Habitants",
            None,
            None,
            "40 ateliers",
            "Réparent au lieu d’acheter",
            "Réparations déclarées",
            "Enquête",
            20,
            3,
            2,
            "Prix d’un appareil neuf",
            "1 000,50",
            "INSEE",
            "25 %",
            0,
            0.2,
            "10 %",
            "=H4*L4",
        ],
        [
            None,
            None,
            None,
            None,
            "Se sentent moins seuls",
            None,
            None,
            5,
            1,
            1,
            "Séance",
            40,
            "",
            0,
            0,
            0,
            None,
        ],
    ]
    data = read_value_map(_practitioners_sheet(rows, "Carte de la valeur"), name="Atelier")
    assert data["inputs"] == [{"label": "Temps donné", "amount": 2000, "stakeholder": "Bénévoles"}]
    first, second = data["outcomes"]
    assert first["stakeholder"] == second["stakeholder"] == "Habitants"
    assert (first["proxy"], first["deadweight"], first["drop_off"]) == (1000.5, 0.25, 0.1)
    assert (first["indicator_source"], first["proxy_source"]) == ("Enquête", "INSEE")
    assert (first["start_year"], first["duration_years"]) == (2, 3)
    central = evaluate(parse_impact_map(data), draws=10)["central"]
    first_year = 20 * 1000.5 * 0.75 * 0.8
    present_value = sum(first_year * 0.9 ** (t - 2) / 1.035**t for t in (2, 3, 4))
    present_value += 5 * 40 / 1.035
    assert central["present_value"] == pytest.approx(present_value, rel=1e-12)
    assert central["sroi"] == pytest.approx(present_value / 2000, rel=1e-12)


def test_the_french_guide_s_words_carte_des_impacts():
    rows = [
        ["Parties prenantes", "Contributions", "Valeur €", "Résultats", "Quantité",
         "Approximation financière", "Valeur €", "Poids mort", "Déplacement", "Attribution",
         "Diminution", "Durée"],
        ["Jeunes", "Subvention", 500, "Emploi trouvé", 2, "Salaire annuel", 1000, "50 %", 0,
         0, "50 %", 2],
    ]  # fmt: skip
    data = read_value_map(_practitioners_sheet(rows, "Carte des impacts"), name="Emploi")
    assert data["inputs"][0]["amount"] == 500 and data["outcomes"][0]["proxy"] == 1000
    central = evaluate(parse_impact_map(data), draws=10)["central"]
    assert central["present_value"] == pytest.approx(1000 / 1.035 + 500 / 1.035**2)


def test_an_english_value_map_with_the_published_headings():
    rows = [
        ["Stage 1", None, "Stage 2"],
        [
            "Stakeholders",
            "Intended/unintended changes",
            "Inputs",
            "Value £",
            "Outputs",
            "The Outcomes (what changes)",
            "Indicator",
            "Source",
            "Quantity",
            "Duration",
            "Outcomes start",
            "Financial proxy",
            "Value £",
            "Source",
            "Deadweight %",
            "Displacement %",
            "Attribution %",
            "Drop off %",
            "Impact",
        ],
        ["Tenants", "Feel safer", "Time", 500, "10 visits", "Safer", "Survey", "", 10, 2, 1,
         "Cost of a lock", 80, "Shop", 0.1, 0, 0.5, 0.5],
    ]  # fmt: skip
    data = read_value_map(_practitioners_sheet(rows, "Sheet1"), name="Visits")
    assert data["name"] == "Visits" and data["inputs"][0]["amount"] == 500
    outcome = data["outcomes"][0]
    assert (outcome["change"], outcome["proxy_label"], outcome["proxy_source"]) == (
        "Feel safer",
        "Cost of a lock",
        "Shop",
    )
    value = 10 * 80 * 0.9 * 0.5
    central = evaluate(parse_impact_map(data), draws=10)["central"]
    assert central["present_value"] == pytest.approx(value / 1.035 + value * 0.5 / 1.035**2)


def test_the_published_two_row_headings_and_the_totals_below():
    # "Inputs" spans two columns, with "Value £" under its second; questions sit under
    # the other headings; a total and the social-return block follow the rows.
    rows = [
        ["Stakeholders", "Inputs", None, "Outputs", "The Outcomes (what changes)", "Quantity",
         "Outcomes start", "Financial proxy", None, "Deadweight %", "Displacement %",
         "Attribution %"],
        ["Who do we have an effect on?", "What do they invest?", "Value £",
         "Summary of activity in numbers", "How would you describe the change?",
         "How much change was there?", "Does it start during activity or after?",
         "What proxy would you use?", "Value £", None, None, None],
        ["Funders", "Grant", 1000, "12 sessions", "Confidence", 4, "after", "Course", 250,
         0.5, 0, 0],
        ["Total", None, 1000],
        ["Calculating Social Return", None, None],
        ["Discount rate (%)", 0.035],
    ]  # fmt: skip
    data = read_value_map(_practitioners_sheet(rows, "Value Map"), name="Sessions")
    assert data["inputs"] == [{"label": "Grant", "amount": 1000, "stakeholder": "Funders"}]
    (outcome,) = data["outcomes"]
    assert (outcome["proxy"], outcome["start_year"], outcome["proxy_label"]) == (
        250,
        2,
        "Course",
    )
    central = evaluate(parse_impact_map(data), draws=10)["central"]
    assert central["present_value"] == pytest.approx(4 * 250 * 0.5 / 1.035**2, rel=1e-12)


def test_a_missing_column_is_named_in_both_languages():
    rows = [["Stakeholders", "Outcomes", "Quantity", "Proxy value", "Deadweight", "Attribution"]]
    with pytest.raises(ValueMapError, match="no column “Displacement / Déplacement”"):
        read_value_map(_practitioners_sheet(rows, "Value map"))


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(ValueMapError, match="^not a readable XLSX workbook$"):
        read_value_map(io.BytesIO(b"name,quantity\n"))


@pytest.mark.parametrize(("language", "name"), list(zip(("en", "fr"), TEMPLATE_FILES, strict=True)))
def test_the_templates_beside_the_docs_and_served_by_the_app_are_current(language, name):
    expected = _cells(template(language))
    for folder in ("docs", "tribu/static/tribu"):
        assert _cells((ROOT / folder / name).read_bytes()) == expected, f"{folder}/{name}"
    # A template reads back as an impact map the engine accepts.
    data = read_value_map(io.BytesIO(template(language)))
    assert evaluate(parse_impact_map(data), draws=10)["central"]["sroi"] > 1


def _cells(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content))
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


# --- the command line -----------------------------------------------------------------


def cli(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--language", "en", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_a_value_map_and_reads_it_back(capsys, tmp_path):
    source = tmp_path / "atelier.json"
    source.write_text(json.dumps(RICH), encoding="utf-8")
    code, out, err = cli(capsys, "sroi", source, "--format", "xlsx")
    target = tmp_path / "atelier.xlsx"
    assert (code, err) == (0, "")
    assert out == f"written: {target}\n"
    code, out, _err = cli(capsys, "sroi", target)
    assert code == 0
    assert json.loads(out) == json.loads(json.dumps(evaluate(parse_impact_map(RICH))))
    code, out, _err = cli(capsys, "sroi", target, "--format", "impact-map")
    assert code == 0 and parse_impact_map(json.loads(out)) == parse_impact_map(RICH)


def test_cli_refuses_a_bad_value_map_and_writes_nothing(capsys, tmp_path):
    def too_much(sheet):
        sheet.cell(5, _column(sheet, "Deadweight")).value = 1.2

    path = tmp_path / "bad.xlsx"
    path.write_bytes(_basic_sheet(too_much).getvalue())
    output = tmp_path / "out.xlsx"
    code, out, err = cli(capsys, "sroi", path, "--format", "xlsx", "--output", output)
    assert (code, out) == (2, "")
    assert err == (
        f"error: {path}: sheet “Value map”, row 5, column Q (Deadweight): "
        "must be a percentage between 0 and 100, got 120 %\n"
    )
    assert not output.exists()


def test_cli_writes_no_value_map_when_the_ratio_is_undefined(capsys, tmp_path):
    path = tmp_path / "free.json"
    path.write_text(json.dumps({**load_case("sroi-basic.json"), "inputs": []}), encoding="utf-8")
    code, _out, err = cli(capsys, "sroi", path, "--format", "xlsx")
    assert code == 2 and "the ratio is undefined" in err
    assert not (tmp_path / "free.xlsx").exists()


def test_an_input_without_its_description_is_named():
    rows = [
        ["Stakeholders", "Input value", "Outcomes", "Quantity", "Proxy value", "Deadweight",
         "Displacement", "Attribution"],
        ["Funders", 1000],
    ]  # fmt: skip
    with pytest.raises(ValueMapError) as caught:
        read_value_map(_practitioners_sheet(rows, "Value map"))
    assert str(caught.value) == "sheet “Value map”, row 2: the input is not described"


def test_cli_will_not_overwrite_the_map_it_reads(capsys, tmp_path):
    path = tmp_path / "map.xlsx"
    path.write_bytes(template("en"))
    before = path.read_bytes()
    code, _out, err = cli(capsys, "sroi", path, "--format", "xlsx")
    assert code == 2 and "would overwrite the file read" in err
    assert path.read_bytes() == before


def test_cli_refuses_unknown_fields(capsys, tmp_path):
    path = tmp_path / "map.json"
    path.write_text(json.dumps({**RICH, "discounting_method": "mid_year"}), encoding="utf-8")
    code, out, err = cli(capsys, "sroi", path)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {path}: discounting_method: unknown field (did you mean")


def test_cli_messages_have_a_french_translation():
    import ast

    from django.utils import translation

    ids = set()
    modules = [*(ROOT / "tribu/reports/valuemap").glob("*.py"), ROOT / "tribu/reports/sroi.py"]
    for module in modules:
        tree = ast.parse(module.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_":
                if node.args and isinstance(node.args[0], ast.Constant):
                    ids.add(node.args[0].value)
    from tribu.reports.valuemap import MISSING

    ids |= set(MISSING.values())
    with translation.override("fr"):
        assert sorted(m for m in ids if translation.gettext(m) == m) == []

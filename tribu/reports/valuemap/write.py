"""Writing an impact map as a value map workbook, with the figures filled in; and the
templates to start from."""

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tribu.valuation import ImpactMap, parse_impact_map
from tribu.valuation.model import FRACTIONS, RANGED

from .layout import (
    COLUMNS,
    DIRECTION_WORDS,
    DISCOUNTING_WORDS,
    EN,
    FR,
    NO,
    SETTINGS,
    SHEETS,
    YEAR,
    YES,
    heading,
)


def _language(code: str | None) -> int:
    return FR if (code or "fr").startswith("fr") else EN


BOLD = Font(bold=True)
HEAD = PatternFill("solid", fgColor="DDE7E4")
PERCENT = "0.##%"
MONEY = "#,##0.00"


def _put(sheet, row: int, column: int, value: Any, number_format: str | None = None):
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        # Text stays text: a label starting with "=" must never become a formula.
        cell.data_type = "s"
    if number_format == PERCENT and isinstance(value, int | float | Decimal):
        # 25 % rather than 25.00 %, but 12.5 % in full.
        number_format = "0%" if (Decimal(str(value)) * 100) % 1 == 0 else "0.0##%"
    if number_format:
        cell.number_format = number_format
    return cell


def _word(value: bool, language: int) -> str:
    return (YES if value else NO)[language]


def _range_cells(outcome, name: str) -> dict[str, Any]:
    values = getattr(outcome, name)
    cells: dict[str, Any] = {name: values.central}
    if not values.is_exact:
        cells[f"{name}_low"], cells[f"{name}_high"] = values.low, values.high
    return cells


def _outcome_cells(outcome, language: int) -> dict[str, Any]:
    cells: dict[str, Any] = {
        "stakeholder": outcome.stakeholder or None,
        "label": outcome.label,
        "start": outcome.start_year,
        "duration": outcome.duration_years,
        "market": _word(outcome.market, language),
        "headline": _word(outcome.headline, language),
        "direction": DIRECTION_WORDS[outcome.direction][language],
        "cvn_account": outcome.cvn_account,
        "key": outcome.key or None,
    }
    for name in ("change", "output", "indicator", "indicator_source", "proxy_label"):
        cells[name] = getattr(outcome, name) or None
    cells["proxy_source"] = outcome.proxy_source or None
    if outcome.yearly_quantities:
        cells["yearly"] = "; ".join(f"{q.normalize():f}" for q in outcome.yearly_quantities)
        del cells["duration"]
    else:
        cells["quantity"] = outcome.quantity
    for name in RANGED:
        if name == "drop_off" and outcome.yearly_quantities:
            continue
        cells.update(_range_cells(outcome, name))
    return cells


def _formats(key: str) -> str | None:
    fraction = key in FRACTIONS or key.rsplit("_", 1)[0] in FRACTIONS
    if fraction:
        return PERCENT
    if key in ("input_amount", "proxy", "proxy_low", "proxy_high", "impact", "present_value"):
        return MONEY
    return None


def _write_map(sheet, imap: ImpactMap, result: dict | None, language: int) -> None:
    keys = [key for key, *_words in COLUMNS]
    computed = ["impact", "present_value"] if result else []
    lines = result["central"]["outcomes"] if result else []
    years = max((len(line["impact_by_year"]) for line in lines), default=0)
    _put(sheet, 1, 1, imap.name).font = Font(bold=True, size=14)
    headings = [heading(key, language) for key in (*keys, *computed)]
    headings += [f"{YEAR[language]} {t}" for t in range(1, years + 1)]
    for column, text in enumerate(headings, start=1):
        cell = _put(sheet, 3, column, text)
        cell.font, cell.fill = BOLD, HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = 16
    row = 4
    for item in imap.inputs:
        cells = {
            "stakeholder": item.stakeholder or None,
            "input_label": item.label,
            "input_amount": item.amount,
            "input_year": item.year,
        }
        _write_row(sheet, row, keys, cells)
        row += 1
    lines = result["central"]["outcomes"] if result else [None] * len(imap.outcomes)
    for outcome, line in zip(imap.outcomes, lines, strict=True):
        cells = _outcome_cells(outcome, language)
        if line is not None:
            cells["impact"], cells["present_value"] = (
                line["value_first_year"],
                line["present_value"],
            )
        _write_row(sheet, row, [*keys, *computed], cells)
        for t, amount in enumerate(line["impact_by_year"] if line else [], start=1):
            _put(sheet, row, len(keys) + len(computed) + t, amount, MONEY)
        row += 1
    sheet.freeze_panes = "B4"


def _write_row(sheet, row: int, keys: list[str], cells: dict[str, Any]) -> None:
    for column, key in enumerate(keys, start=1):
        value = cells.get(key)
        if value is not None:
            _put(sheet, row, column, value, _formats(key))


def _write_settings(sheet, imap: ImpactMap, language: int) -> None:
    values = {
        "name": imap.name,
        "currency": imap.currency,
        "discount_rate": imap.discount_rate,
        "discounting": DISCOUNTING_WORDS[imap.discounting][language],
        "draws": imap.draws,
        "seed": imap.seed,
    }
    for row, (key, english, french) in enumerate(SETTINGS, start=1):
        _put(sheet, row, 1, (english, french)[language][0]).font = BOLD
        _put(sheet, row, 2, values[key], PERCENT if key == "discount_rate" else None)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 40


RESULTS = (
    ("discounting", "Discounting", "Actualisation"),
    ("present_value", "Present value", "Valeur actuelle"),
    ("inputs", "Inputs (present value)", "Ressources (valeur actuelle)"),
    ("npv", "Net present value", "Valeur actuelle nette"),
    ("sroi", "SROI ratio", "Ratio SROI"),
    ("net_sroi", "Net SROI ratio", "Ratio SROI net"),
    ("pessimistic", "Pessimistic SROI ratio", "Ratio SROI pessimiste"),
    ("optimistic", "Optimistic SROI ratio", "Ratio SROI optimiste"),
    ("mc_mean", "Monte Carlo: mean SROI ratio", "Monte Carlo : ratio SROI moyen"),
    ("mc_p5", "Monte Carlo: P5", "Monte Carlo : P5"),
    ("mc_p95", "Monte Carlo: P95", "Monte Carlo : P95"),
    ("p_above_1", "Probability that SROI exceeds 1", "Probabilité que le SROI dépasse 1"),
)
STAKEHOLDER_HEADINGS = (
    ("Stakeholder", "Present value", "Share", "Share, mean", "Share, P5", "Share, P95"),
    ("Partie prenante", "Valeur actuelle", "Part", "Part, moyenne", "Part, P5", "Part, P95"),
)


def _results(result: dict, language: int) -> dict[str, Any]:
    central, carlo = result["central"], result["monte_carlo"]
    sroi = carlo["sroi"] or {}
    return {
        "discounting": DISCOUNTING_WORDS[result["discounting"]][language],
        **{key: central[key] for key in ("present_value", "inputs", "npv", "sroi", "net_sroi")},
        "pessimistic": result["pessimistic"]["sroi"],
        "optimistic": result["optimistic"]["sroi"],
        "mc_mean": sroi.get("mean"),
        "mc_p5": sroi.get("p5"),
        "mc_p95": sroi.get("p95"),
        "p_above_1": carlo["p_sroi_above_1"],
    }


def _write_results(sheet, result: dict, language: int) -> None:
    """The headline figures, then the value by stakeholder."""
    values = _results(result, language)
    for row, (key, *words) in enumerate(RESULTS, start=1):
        _put(sheet, row, 1, words[language]).font = BOLD
        money = key in ("present_value", "inputs", "npv")
        number_format = MONEY if money else PERCENT if key == "p_above_1" else "0.0000"
        _put(sheet, row, 2, values[key], None if key == "discounting" else number_format)
    first = len(RESULTS) + 2
    for column, text in enumerate(STAKEHOLDER_HEADINGS[language], start=1):
        _put(sheet, first, column, text).font = BOLD
    carlo = {b["stakeholder"]: b["share"] or {} for b in result["monte_carlo"]["by_stakeholder"]}
    for row, line in enumerate(result["central"]["by_stakeholder"], start=first + 1):
        drawn = carlo.get(line["stakeholder"], {})
        cells = (
            (line["stakeholder"], None),
            (line["present_value"], MONEY),
            (line["share"], PERCENT),
            (drawn.get("mean"), PERCENT),
            (drawn.get("p5"), PERCENT),
            (drawn.get("p95"), PERCENT),
        )
        for column, (value, number_format) in enumerate(cells, start=1):
            if value is not None:
                _put(sheet, row, column, value, number_format)
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 18


def write_value_map(imap: ImpactMap, result: dict | None = None, language: str = "fr") -> bytes:
    """The value map of ``imap`` as an XLSX workbook; with ``result`` (from
    ``evaluate``) the figures are filled in: impact, present value and impact by year
    per outcome, and a results sheet."""
    lang = _language(language)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEETS["map"][lang]
    _write_map(sheet, imap, result, lang)
    _write_settings(book.create_sheet(SHEETS["settings"][lang]), imap, lang)
    if result is not None:
        _write_results(book.create_sheet(SHEETS["results"][lang]), result, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


EXAMPLE = (
    {
        "name": "Community workshop, first three years",
        "inputs": [
            {"label": "Fit-out of the workshop", "amount": 10000, "stakeholder": "Host"},
        ],
        "outcomes": [
            {
                "label": "Residents repair instead of buying",
                "stakeholder": "Residents",
                "change": "Spend less, keep things longer",
                "output": "20 residents trained",
                "indicator": "Repairs reported in the yearly survey",
                "indicator_source": "Yearly survey",
                "quantity": 20,
                "duration_years": 3,
                "proxy_label": "Price of a new appliance",
                "proxy": {"low": 800, "central": 1000, "high": 1200},
                "proxy_source": "Consumer price survey",
                "deadweight": 0.25,
                "displacement": 0,
                "attribution": 0.2,
                "drop_off": 0.1,
            }
        ],
    },
    {
        "name": "Atelier partagé, trois premières années",
        "inputs": [{"label": "Aménagement de l’atelier", "amount": 10000, "stakeholder": "Hôte"}],
        "outcomes": [
            {
                "label": "Les habitants réparent au lieu d’acheter",
                "stakeholder": "Habitants",
                "change": "Dépenser moins, garder les objets plus longtemps",
                "output": "20 habitants formés",
                "indicator": "Réparations déclarées dans l’enquête annuelle",
                "indicator_source": "Enquête annuelle",
                "quantity": 20,
                "duration_years": 3,
                "proxy_label": "Prix d’un appareil neuf",
                "proxy": {"low": 800, "central": 1000, "high": 1200},
                "proxy_source": "Enquête sur les prix à la consommation",
                "deadweight": 0.25,
                "displacement": 0,
                "attribution": 0.2,
                "drop_off": 0.1,
            }
        ],
    },
)


def template(language: str = "fr") -> bytes:
    """A value map to fill in: the headings, one worked row and the settings."""
    lang = _language(language)
    return write_value_map(parse_impact_map(EXAMPLE[lang]), None, ("en", "fr")[lang])

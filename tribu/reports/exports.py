"""The balance sheet as CSV: one module for the web page, the API and the `tribu` command.

One row per figure, with what produced it: the line's quantity, proxy and adjustments, its
low / central / high values, the events behind it and the proxy's source. The header and
the section and key columns are stable names a script can rely on; labels are translated.
"""

import csv
import io

from django.utils.translation import gettext as _

COLUMNS = (
    "section",
    "key",
    "label",
    "unit",
    "quantity",
    "proxy",
    "deadweight",
    "displacement",
    "attribution",
    "low",
    "central",
    "high",
    "currency",
    "headline",
    "cvn_account",
    "event_count",
    "explanation",
    "source",
)
# Figures the engine wrote (a minus sign there is a negative number, not a formula).
FIGURES = {
    "quantity",
    "proxy",
    "deadweight",
    "displacement",
    "attribution",
    "low",
    "central",
    "high",
    "event_count",
}
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RATIO_PLACES = 2
PROBABILITY_PLACES = 3


def cell(text) -> str:
    """Text, defused: a spreadsheet must not run it as a formula."""
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _value(row: dict, column: str) -> str:
    value = row.get(column, "")
    return str(value) if column in FIGURES else cell(value)


def _rounded(value, places: int) -> str:
    return "" if value is None else f"{value:.{places}f}"


def _row(section: str, key: str, label: str, **figures) -> dict:
    return {"section": section, "key": key, "label": label, **figures}


def _market_item_rows(sheet: dict) -> list[dict]:
    """The market tier kind by kind (learning expeditions billed, rent, facilitation…),
    each with its quantity, unit and the number of events behind it."""
    lines = sheet["tiers"]["market"].get("lines") or {}
    return [
        _row(
            f"market_{group}",
            line["key"],
            line["label"],
            unit=line["unit"],
            quantity=line["quantity"],
            central=line["amount"],
            currency=sheet["currency"],
            event_count=line["event_count"],
        )
        for group in ("revenue", "costs")
        for line in lines.get(group, [])
    ]


def _market_rows(sheet: dict) -> list[dict]:
    market, currency = sheet["tiers"]["market"], sheet["currency"]
    rows = _market_item_rows(sheet)
    labels = {
        "revenue": _("Market revenue"),
        "costs": _("Market costs"),
        "net": _("Market net"),
    }
    return rows + [
        _row("market", f"market_{key}", label, central=market[key], currency=currency)
        for key, label in labels.items()
    ]


def _line_rows(sheet: dict) -> list[dict]:
    non_market, rows = sheet["tiers"]["non_market"], []
    for group in ("benefits", "costs", "off_headline"):
        for line in non_market[group]["lines"]:
            value = line["value"]
            rows.append(
                _row(
                    group,
                    line["key"],
                    line["label"],
                    unit=line["unit"],
                    quantity=line["quantity"],
                    proxy=line["proxy"],
                    **line["adjustments"],
                    low=value["low"],
                    central=value["central"],
                    high=value["high"],
                    currency=sheet["currency"],
                    headline=str(line["headline"]).lower(),
                    cvn_account=line.get("cvn_account") or "",
                    event_count=line.get("event_count", ""),
                    explanation=line["explanation"],
                    source=line.get("source", ""),
                )
            )
    return rows


def _extended_rows(sheet: dict) -> list[dict]:
    ext, envelope = sheet["extended"], sheet["envelope"]
    low, high = envelope["pessimistic"], envelope["optimistic"]
    labels = {
        "benefits": _("Extended benefits"),
        "costs": _("Extended costs"),
        "net": _("Extended net"),
    }
    rows = [
        _row(
            "extended",
            f"extended_{key}",
            label,
            low=low[key],
            central=ext[key],
            high=high[key],
            currency=sheet["currency"],
        )
        for key, label in labels.items()
    ]
    rows.append(
        _row(
            "extended",
            "ratio",
            _("Ratio"),
            low=_rounded(low["ratio"], RATIO_PLACES),
            central=_rounded(ext["ratio"], RATIO_PLACES),
            high=_rounded(high["ratio"], RATIO_PLACES),
        )
    )
    return rows


def _monte_carlo_rows(sheet: dict) -> list[dict]:
    mc = sheet["monte_carlo"]
    if not mc["ratio"]:
        return []
    ratio = mc["ratio"]
    return [
        _row(
            "monte_carlo",
            "ratio_p5_p50_p95",
            _("Ratio P5 / P50 / P95"),
            low=_rounded(ratio["p5"], RATIO_PLACES),
            central=_rounded(ratio["p50"], RATIO_PLACES),
            high=_rounded(ratio["p95"], RATIO_PLACES),
            explanation=_("%(draws)s draws, seed %(seed)s")
            % {"draws": mc["draws"], "seed": mc["seed"]},
        ),
        _row(
            "monte_carlo",
            "p_ratio_above_1",
            _("Probability that the ratio exceeds 1"),
            central=_rounded(mc["p_ratio_above_1"], PROBABILITY_PLACES),
        ),
    ]


def _context_rows(sheet: dict) -> list[dict]:
    ctx = sheet["context"]
    rows = [
        _row("context", "period", _("period"), explanation=f"{ctx['from']} → {ctx['to']}"),
        _row(
            "context",
            "catalogue_version",
            _("catalogue version"),
            explanation=ctx["catalogue_version"],
        ),
        _row("context", "agent", _("agent"), explanation=ctx["agent_name"]),
    ]
    if ctx["illustrative"]:
        rows.append(_row("context", "illustrative", _("illustrative data")))
    return rows


def balance_csv(sheet: dict) -> str:
    """The balance sheet of `tribu.reports.balance.agent_balance` as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for part in (_market_rows, _line_rows, _extended_rows, _monte_carlo_rows, _context_rows):
        for row in part(sheet):
            writer.writerow([_value(row, column) for column in COLUMNS])
    return out.getvalue()


def balance_csv_name(sheet: dict) -> str:
    """The file name the web page and the API give the download."""
    ctx = sheet["context"]
    return f"balance-{ctx['platform']}-{ctx['agent']}-{ctx['from']}-{ctx['to']}.csv"

"""The balance sheet as an XLSX workbook: one sheet per tier, the result, what would make
it pay off, and the assumptions with their sources. Numbers are numbers (money with two
decimals), text is always text: a cell never runs a formula.
"""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tribu.ledger.catalogue import current_values

MONEY = "#,##0.00"
RATIO = "0.000"
BOLD = Font(bold=True)


def _put(ws, row: int, values: list, formats: dict[int, str] | None = None) -> None:
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column)
        if isinstance(value, Decimal):
            value = float(value)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # user text stays text, even "=…"
        elif formats and column in formats and value is not None:
            cell.number_format = formats[column]


def _number(text) -> float | None:
    return None if text in (None, "") else float(Decimal(str(text)))


def _table(ws, header: list[str], rows: list[list], formats: dict[int, str]) -> None:
    _put(ws, 1, header)
    for cell in ws[1]:
        cell.font = BOLD
    for index, row in enumerate(rows, start=2):
        _put(ws, index, row, formats)
    for column in ws.columns:
        width = max(len(str(c.value or "")) for c in column)
        ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)


def _market(wb, sheet: dict) -> None:
    ws = wb.create_sheet(_("Market tier"))
    rows = []
    lines = sheet["tiers"]["market"].get("lines", {"revenue": [], "costs": []})
    for group, title in (("revenue", _("revenue")), ("costs", _("costs"))):
        for line in lines[group]:
            rows.append(
                [
                    title,
                    line["label"],
                    _number(line["quantity"]),
                    line["unit"],
                    line["event_count"],
                    _number(line["amount"]),
                ]
            )
    market = sheet["tiers"]["market"]
    rows += [
        [_("total"), _("Market revenue"), None, "", None, _number(market["revenue"])],
        [_("total"), _("Market costs"), None, "", None, _number(market["costs"])],
        [_("total"), _("Market net"), None, "", None, _number(market["net"])],
    ]
    header = [_("side"), _("line"), _("quantity"), _("unit"), _("flows"), sheet["currency"]]
    _table(ws, header, rows, {6: MONEY})


def _non_market(wb, sheet: dict) -> None:
    ws = wb.create_sheet(_("Non-market tier"))
    groups = sheet["tiers"]["non_market"]
    rows = []
    for group, title in (
        ("benefits", _("benefit")),
        ("costs", _("cost in kind")),
        ("off_headline", _("off the headline")),
    ):
        for line in groups[group]["lines"]:
            adjustments = line["adjustments"]
            rows.append(
                [
                    title,
                    line["label"],
                    _number(line["quantity"]),
                    line["unit"],
                    _number(line["proxy"]),
                    _number(adjustments["deadweight"]),
                    _number(adjustments["displacement"]),
                    _number(adjustments["attribution"]),
                    _number(line["value"]["low"]),
                    _number(line["value"]["central"]),
                    _number(line["value"]["high"]),
                    line["event_count"],
                    line["cvn_account"] or "",
                    line["explanation"],
                ]
            )
    header = [
        _("group"),
        _("line"),
        _("quantity"),
        _("unit"),
        _("proxy"),
        _("deadweight"),
        _("displacement"),
        _("attribution"),
        _("low"),
        _("central"),
        _("high"),
        _("flows"),
        _("account"),
        _("how it was reached"),
    ]
    formats = {5: MONEY, 9: MONEY, 10: MONEY, 11: MONEY}
    _table(ws, header, rows, formats)


def _result(wb, sheet: dict) -> None:
    ws = wb.create_sheet(_("Result"))
    ext, env, mc = sheet["extended"], sheet["envelope"], sheet["monte_carlo"]
    rows = [
        [
            _("benefits"),
            _number(env["pessimistic"]["benefits"]),
            _number(ext["benefits"]),
            _number(env["optimistic"]["benefits"]),
        ],
        [
            _("costs"),
            _number(env["pessimistic"]["costs"]),
            _number(ext["costs"]),
            _number(env["optimistic"]["costs"]),
        ],
        [
            _("net"),
            _number(env["pessimistic"]["net"]),
            _number(ext["net"]),
            _number(env["optimistic"]["net"]),
        ],
    ]
    _table(
        ws,
        ["", _("pessimistic"), _("central"), _("optimistic")],
        rows,
        {2: MONEY, 3: MONEY, 4: MONEY},
    )
    _put(
        ws,
        5,
        [_("ratio"), env["pessimistic"]["ratio"], ext["ratio"], env["optimistic"]["ratio"]],
        {2: RATIO, 3: RATIO, 4: RATIO},
    )
    _put(ws, 6, [_("the envelope is not a confidence interval")])
    ratio = mc.get("ratio") or {}
    facts = [
        (_("Monte Carlo draws"), mc["draws"]),
        (_("seed"), mc["seed"]),
        (_("ratio P5"), ratio.get("p5")),
        (_("ratio median"), ratio.get("p50")),
        (_("ratio P95"), ratio.get("p95")),
        (_("probability that the ratio exceeds 1"), mc["p_ratio_above_1"]),
        (_("standard error"), mc["standard_error"]),
    ]
    for offset, (label, value) in enumerate(facts, start=8):
        _put(ws, offset, [label, value])


def _payoff(wb, sheet: dict) -> None:
    be = sheet.get("break_even")
    if not be:
        return
    ws = wb.create_sheet(_("Break-even"))
    rows = []
    if be["rent"]:
        rent = be["rent"]
        rows.append(
            [
                rent["label"],
                _number(rent["quantity"]),
                _number(rent["needed"]),
                _number(rent["multiple"]),
                sheet["currency"],
            ]
        )
    for line in be["lines"]:
        rows.append(
            [
                line["label"],
                _number(line["quantity"]),
                _number(line["needed"]),
                _number(line["multiple"]),
                line["unit"],
            ]
        )
    header = [_("line"), _("today"), _("needed for a ratio of 1"), _("× today's"), _("unit")]
    _table(ws, header, rows, {2: MONEY, 3: MONEY, 4: "0.00"})


def _assumptions(wb, assumptions: list[dict]) -> None:
    ws = wb.create_sheet(_("Assumptions and sources"))
    rows = [
        [
            a["label"],
            a["unit"],
            *[_number(v) for v in a["proxy"]],
            *[_number(v) for v in a["deadweight"]],
            *[_number(v) for v in a["attribution"]],
            a["source"],
            a["date"],
        ]
        for a in assumptions
    ]
    header = [
        _("kind"),
        _("unit"),
        _("proxy low"),
        _("proxy central"),
        _("proxy high"),
        _("deadweight low"),
        _("deadweight central"),
        _("deadweight high"),
        _("attribution low"),
        _("attribution central"),
        _("attribution high"),
        _("source"),
        _("date"),
    ]
    _table(ws, header, rows, {3: MONEY, 4: MONEY, 5: MONEY})


def catalogue_assumptions(platform, language: str) -> list[dict]:
    """Each kind of value in force: its ranges, source and date."""
    rows = []
    for values in current_values(platform.pk).values():
        spec = values.specification
        rows.append(
            {
                "label": spec.name(language),
                "unit": spec.unit,
                "proxy": [values.proxy_low, values.proxy_central, values.proxy_high],
                "deadweight": [
                    values.deadweight_low,
                    values.deadweight_central,
                    values.deadweight_high,
                ],
                "attribution": [
                    values.attribution_low,
                    values.attribution_central,
                    values.attribution_high,
                ],
                "source": values.proxy_source,
                "date": values.proxy_date.isoformat() if values.proxy_date else "",
                "market": spec.market,
            }
        )
    return sorted(rows, key=lambda row: row["label"])


def balance_xlsx(sheet: dict, assumptions: list[dict]) -> bytes:
    """The workbook's bytes; ``assumptions`` as ``tribu.dossiers.services`` lists them."""
    wb = Workbook()
    wb.remove(wb.active)
    _market(wb, sheet)
    _non_market(wb, sheet)
    _result(wb, sheet)
    _payoff(wb, sheet)
    _assumptions(wb, assumptions)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

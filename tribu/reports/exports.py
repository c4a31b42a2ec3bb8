"""CSV export of a balance sheet: one row per figure, with the context that produced it."""

import csv
import io

from django.utils.translation import gettext as _


def _cell(text: str) -> str:
    """Text from users, defused: a spreadsheet must not run it as a formula."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def balance_csv(sheet: dict) -> str:
    """The balance sheet as CSV: section, line, quantity, unit, explanation, low, central, high."""
    out = io.StringIO()
    writer = csv.writer(out)
    ctx, currency = sheet["context"], sheet["currency"]
    writer.writerow(
        [
            _("section"),
            _("line"),
            _("quantity"),
            _("unit"),
            _("how it was reached"),
            _("low"),
            _("central"),
            _("high"),
            _("currency"),
        ]
    )
    market = sheet["tiers"]["market"]
    for key, label in (
        ("revenue", _("Market revenue")),
        ("costs", _("Market costs")),
        ("net", _("Market net")),
    ):
        writer.writerow([_("market"), label, "", "", "", "", market[key], "", currency])
    non_market = sheet["tiers"]["non_market"]
    for group, section in (
        ("benefits", _("non-market benefits")),
        ("costs", _("non-market costs")),
        ("off_headline", _("off headline")),
    ):
        for line in non_market[group]["lines"]:
            v = line["value"]
            writer.writerow(
                [
                    section,
                    _cell(line["label"]),
                    line["quantity"],
                    line["unit"],
                    line["explanation"],
                    v["low"],
                    v["central"],
                    v["high"],
                    currency,
                ]
            )
    ext = sheet["extended"]
    for key, label in (
        ("benefits", _("Extended benefits")),
        ("costs", _("Extended costs")),
        ("net", _("Extended net")),
    ):
        writer.writerow(
            [
                _("extended"),
                label,
                "",
                "",
                "",
                sheet["envelope"]["pessimistic"][key],
                ext[key],
                sheet["envelope"]["optimistic"][key],
                currency,
            ]
        )
    writer.writerow(
        [
            _("extended"),
            _("Ratio"),
            "",
            "",
            "",
            sheet["envelope"]["pessimistic"]["ratio"],
            ext["ratio"],
            sheet["envelope"]["optimistic"]["ratio"],
            "",
        ]
    )
    mc = sheet["monte_carlo"]
    if mc["ratio"]:
        writer.writerow(
            [
                _("Monte Carlo"),
                _("Ratio P5 / P50 / P95"),
                mc["draws"],
                "",
                _("seed %(seed)s") % {"seed": mc["seed"]},
                mc["ratio"]["p5"],
                mc["ratio"]["p50"],
                mc["ratio"]["p95"],
                "",
            ]
        )
        writer.writerow(
            [
                _("Monte Carlo"),
                _("Probability that the ratio exceeds 1"),
                "",
                "",
                "",
                "",
                mc["p_ratio_above_1"],
                "",
                "",
            ]
        )
    writer.writerow(
        [_("context"), _("period"), "", "", f"{ctx['from']} → {ctx['to']}", "", "", "", ""]
    )
    writer.writerow(
        [_("context"), _("catalogue version"), "", "", ctx["catalogue_version"], "", "", "", ""]
    )
    writer.writerow([_("context"), _("agent"), "", "", _cell(ctx["agent_name"]), "", "", "", ""])
    if ctx["illustrative"]:
        writer.writerow([_("context"), _("illustrative data"), "", "", "", "", "", "", ""])
    return out.getvalue()

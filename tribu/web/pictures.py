"""The words and data of each chart on the pages; the drawing is tribu.reports.charts'.

Charts escape every text they draw, so their SVG is marked safe here.
"""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tribu.core.formats import format_date, format_money, format_number, format_ratio
from tribu.reports import charts


def safe_svg(svg: str):
    """Charts escape every text they draw (tested), so their output is safe as it is."""
    return mark_safe(svg)  # noqa: S308


def balance_charts(sheet: dict, draws) -> dict:
    return {
        "distribution": safe_svg(distribution_chart(sheet, draws)),
        "tornado": safe_svg(tornado_chart(sheet)),
        "tiers": safe_svg(tiers_chart(sheet)),
    }


def distribution_chart(sheet: dict, draws) -> str:
    title = _("Distribution of the ratio (Monte Carlo)")
    mc = sheet["monte_carlo"]
    if draws is None or mc["ratio"] is None:
        return charts.empty("dist", title, _("No costs in the period: the ratio is undefined."))
    p = mc["p_ratio_above_1"]
    desc = _(
        "%(draws)s draws, seed %(seed)s. Probability that the ratio exceeds 1: "
        "%(p)s %%. P5 %(p5)s, median %(p50)s, P95 %(p95)s."
    ) % {
        "draws": format_number(mc["draws"]),
        "seed": mc["seed"],
        "p": format_number(p * 100, 1),
        "p5": format_ratio(mc["ratio"]["p5"]),
        "p50": format_ratio(mc["ratio"]["p50"]),
        "p95": format_ratio(mc["ratio"]["p95"]),
    }
    return charts.histogram(
        "dist",
        draws,
        title=title,
        desc=desc,
        marker_label=_("ratio = 1 · P(ratio > 1) = %(p)s %%") % {"p": format_number(p * 100, 1)},
    )


def tornado_chart(sheet: dict) -> str:
    title = _("Which assumption moves the ratio most")
    ratio = sheet["extended"]["ratio"]
    bars = [
        {
            "label": f"{b['label']} · {parameter_label(b['parameter'])}",
            "low": float(b["ratio_low"]),
            "high": float(b["ratio_high"]),
        }
        for b in sheet["tornado"][:10]
    ]
    if ratio is None or not bars:
        return charts.empty(
            "tornado", title, _("Nothing to show: no ranged assumption, or no costs.")
        )
    desc = _(
        "The ratio when each assumption goes from its low to its high value, the "
        "others staying central (%(ratio)s)."
    ) % {"ratio": format_ratio(ratio)}
    return charts.tornado("tornado", bars, centre=float(ratio), title=title, desc=desc)


def tiers_chart(sheet: dict) -> str:
    tiers, currency = sheet["tiers"], sheet["currency"]
    market, non_market = tiers["market"], tiers["non_market"]
    groups = [
        (
            _("Market (exact money)"),
            [
                charts.Bar(_("revenue"), charts.to_float(market["revenue"]), charts.MARKET),
                charts.Bar(_("costs"), charts.to_float(market["costs"]), charts.WARN),
            ],
        ),
        (
            _("Non-market (valued, central)"),
            [
                charts.Bar(
                    _("benefits"),
                    charts.to_float(non_market["benefits"]["total"]),
                    charts.NON_MARKET,
                ),
                charts.Bar(_("costs"), charts.to_float(non_market["costs"]["total"]), charts.WARN),
            ],
        ),
    ]
    desc = _(
        "Market revenue %(mr)s and costs %(mc)s; non-market benefits %(nb)s and costs "
        "%(nc)s (%(cur)s). The tiers are shown apart, never netted."
    ) % {
        "mr": format_money(market["revenue"], currency),
        "mc": format_money(market["costs"], currency),
        "nb": format_money(non_market["benefits"]["total"], currency),
        "nc": format_money(non_market["costs"]["total"], currency),
        "cur": currency,
    }
    return charts.grouped_bars(
        "tiers", groups, title=_("The two tiers side by side"), desc=desc, unit=currency
    )


def flow_charts(data: dict, period) -> dict:
    """Non-market flows and market money apart: a rent would dwarf every coffee."""
    non_market = [link for link in data["links"] if not link["market"]]
    market = [link for link in data["links"] if link["market"]]
    return {
        "non_market": flow_chart(
            "flows-nm",
            data,
            non_market,
            period,
            _("Who gave what to whom: non-market flows (central value)"),
        ),
        "market": flow_chart(
            "flows-m", data, market, period, _("Who paid whom: market flows (money)")
        ),
    }


def flow_chart(uid: str, data: dict, links: list, period, title: str) -> str:
    links = [{**link, "value": float(link["value"])} for link in links]
    if not any(link["value"] > 0 for link in links):
        return safe_svg(
            charts.empty(uid, title, _("No confirmed flow with a value in this period."))
        )
    desc = _(
        "Confirmed flows from %(start)s to %(end)s, by giver, receiver and kind of "
        "value; thickness is the value in %(cur)s."
    ) % {
        "start": format_date(period.start),
        "end": format_date(period.end),
        "cur": data["currency"],
    }
    svg = charts.sankey(uid, data["nodes"], links, title=title, desc=desc, unit=data["currency"])
    return safe_svg(svg)


def parameter_label(name: str) -> str:
    from tribu.ledger.forms import PARAMETER_LABELS

    return str(PARAMETER_LABELS.get(name, name))

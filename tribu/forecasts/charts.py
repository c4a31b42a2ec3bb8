"""The forecast's pictures: the same SVG charts as the balance sheet (pages and PDFs)."""

from django.utils.translation import gettext as _

from tribu.reports import charts
from tribu.valuation import parse_impact_map, simulate_arrays
from tribu.web.pictures import parameter_label, safe_svg


def ratio_draws(version, draws: int | None = None, seed: int | None = None):
    imap = parse_impact_map(version.impact_map)
    if draws or seed is not None:
        import dataclasses

        imap = dataclasses.replace(
            imap, draws=draws or imap.draws, seed=imap.seed if seed is None else seed
        )
    return simulate_arrays(imap)["sroi"]


def distribution(result: dict, draws) -> str:
    title = _("Distribution of the ratio (Monte Carlo)")
    mc = result["monte_carlo"]
    if draws is None or mc.get("sroi") is None:
        return charts.empty("fdist", title, _("No costs: the ratio is undefined."))
    p = mc["p_sroi_above_1"]
    desc = _("%(draws)s draws, seed %(seed)s. Probability that the ratio exceeds 1: %(p)s %%.") % {
        "draws": mc["draws"],
        "seed": mc["seed"],
        "p": f"{p * 100:.1f}",
    }
    label = _("ratio = 1 · P(ratio > 1) = %(p)s %%") % {"p": f"{p * 100:.1f}"}
    return charts.histogram("fdist", draws, title=title, desc=desc, marker_label=label)


def tornado(result: dict) -> str:
    title = _("Which assumption moves the ratio most")
    ratio = result["central"]["sroi"]
    bars = [
        {
            "label": f"{b['outcome']} · {parameter_label(b['parameter'])}",
            "low": float(b["sroi_low"]),
            "high": float(b["sroi_high"]),
            "swing": float(b["swing"] or 0),
        }
        for b in result["tornado"]
        if b["swing"] is not None
    ]
    bars = sorted(bars, key=lambda bar: -bar["swing"])[:10]
    if ratio is None or not bars:
        return charts.empty("ftornado", title, _("Nothing to show: no range, or no costs."))
    desc = _(
        "The ratio when each assumption goes from its low to its high value, the "
        "others staying central (%(ratio)s)."
    ) % {"ratio": f"{ratio:.2f}"}
    return charts.tornado("ftornado", bars, centre=float(ratio), title=title, desc=desc)


def forecast_charts(result: dict, draws) -> dict:
    return {
        "distribution": safe_svg(distribution(result, draws)),
        "tornado": safe_svg(tornado(result)),
    }

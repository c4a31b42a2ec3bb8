"""The full evaluation of an impact map, as a JSON-ready dict."""

from decimal import Decimal
from typing import Any

from .cvn import cvn, cvn_json
from .model import ZERO, ImpactMap
from .montecarlo import simulate
from .projection import project
from .sensitivity import switching_values, tornado

RATIO_NOTE = (
    "sroi is present value / inputs; net_sroi = (present value − inputs) / inputs "
    "= sroi − 1 is given too"
)
ENVELOPE_NOTE = (
    "pessimistic and optimistic put every assumption at its worst or best end at once: "
    "an envelope, not a confidence interval (see monte_carlo for that)"
)
DISCOUNTING_NOTES = {
    "end_of_year": "each year is discounted at its end: year t is divided by (1 + r)^t",
    "mid_year": "each year is discounted at its middle: year t is divided by (1 + r)^(t − 0.5)",
}
TIERS_NOTE = (
    "market and non-market tiers are shown apart; off-headline outcomes are valued but "
    "not counted in the present value or the ratio"
)


def jsonable(value: Any) -> Any:
    """Decimals become floats (full precision, no rounding); tuples become lists."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


def tiers(central: dict[str, Any]) -> dict[str, Any]:
    """Present values by tier, from the central projection's per-outcome figures."""
    totals = {"market": ZERO, "non_market": ZERO, "costs_in_kind": ZERO, "off_headline": ZERO}
    for line in central["outcomes"]:
        if not line["headline"]:
            tier = "off_headline"
        elif line["direction"] == "cost":
            tier = "costs_in_kind"
        else:
            tier = "market" if line["market"] else "non_market"
        totals[tier] += line["present_value"]
    return {**totals, "note": TIERS_NOTE}


def _notes(*blocks: dict[str, Any]) -> list[str]:
    notes = [block["note"] for block in blocks if block.get("note")]
    return list(dict.fromkeys(notes))  # unique, first-seen order


def evaluate(imap: ImpactMap, draws: int | None = None, seed: int | None = None) -> dict:
    """Everything known about ``imap``: projections, tiers, Monte Carlo, sensitivity,
    French in-kind accounts. Numbers are floats except CVN money (strings, 2 decimals)."""
    scenarios = {name: project(imap, name) for name in ("central", "pessimistic", "optimistic")}
    monte_carlo = simulate(imap, draws, seed)
    result = {
        "name": imap.name,
        "currency": imap.currency,
        "discount_rate": imap.discount_rate,
        "discounting": imap.discounting,
        "discounting_note": DISCOUNTING_NOTES[imap.discounting],
        "ratio_shown": "sroi",
        "ratio_note": RATIO_NOTE,
        **scenarios,
        "envelope_note": ENVELOPE_NOTE,
        "tiers": tiers(scenarios["central"]),
        "monte_carlo": monte_carlo,
        "tornado": tornado(imap),
        "switching_values": switching_values(imap),
        "cvn": cvn_json(cvn(imap.outcomes)),
        "notes": _notes(*scenarios.values(), monte_carlo),
    }
    return jsonable(result)

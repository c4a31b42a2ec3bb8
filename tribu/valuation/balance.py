"""The host's extended balance sheet over a period (DESIGN.md, "The extended balance
sheet"), computed by the impact-map engine rather than a formula of its own.

The lines become an ImpactMap with one-year outcomes, no drop-off and no discounting:
market revenue is an exact market outcome, market costs a year-0 input, and costs in
kind are outcomes on the cost side. Then ``project``, ``simulate_arrays``, ``tornado``,
``switching_values`` and ``cvn`` give every figure, so the balance sheet and the
impact-map evaluation cannot disagree.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from .cvn import cvn, cvn_json, money
from .errors import ValuationError
from .model import ONE, ZERO, ImpactMap, Input, Outcome, Range, to_decimal
from .montecarlo import METHOD, ratio_block, simulate_arrays, summary
from .projection import UNDEFINED_RATIO, in_context, project
from .report import ENVELOPE_NOTE, jsonable
from .sensitivity import switching_values, tornado

ASSUMPTIONS = ("proxy", "deadweight", "displacement", "attribution")
REVENUE_KEY = "market_revenue"
EXTENDED_LABEL = (
    "Extended total: market revenue and costs plus valued non-market lines "
    "(headline only), at central values"
)
UNDEFINED = UNDEFINED_RATIO.replace("inputs:", "costs:")


@dataclass(frozen=True)
class BalanceLine:
    """What an agent received (benefit) or bore in kind (cost) of one kind of value
    in the period, with the assumptions that value it."""

    key: str
    label: str
    unit: str
    quantity: Decimal
    proxy: Range
    deadweight: Range
    displacement: Range
    attribution: Range
    market: bool = False
    headline: bool = True
    cvn_account: str | None = None
    direction: str = "benefit"
    event_count: int = 0

    def as_outcome(self) -> Outcome:
        return Outcome(
            label=self.label,
            stakeholder="",
            quantity=self.quantity,
            proxy=self.proxy,
            deadweight=self.deadweight,
            displacement=self.displacement,
            attribution=self.attribution,
            drop_off=Range.exact(0),
            duration_years=1,
            market=self.market,
            headline=self.headline,
            cvn_account=self.cvn_account,
            key=self.key,
            direction=self.direction,
        )


def _text(value: Decimal) -> str:
    """An exact decimal without exponent or trailing zeros: 180, 12.02, 0.125."""
    return format(value.normalize(), "f")


def _fraction(value: Decimal) -> str:
    # Two decimals read as a percentage (0.20); more are kept when they matter.
    if value in (ZERO, ONE):
        return _text(value)
    return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else _text(value)


def _money(value: Decimal) -> str:
    return str(money(value))


def explanation(line: BalanceLine, value: Decimal, currency: str) -> str:
    """``3 night × 180 EUR × (1 − 0.20) × (1 − 0) × (1 − 0) = 432.00 EUR``."""
    # A declared amount is already money: its proxy is a plain multiplier.
    proxy_unit = "" if line.unit == currency else f" {currency}"
    factors = " × ".join(
        f"(1 − {_fraction(getattr(line, name).central)})" for name in ASSUMPTIONS[1:]
    )
    return (
        f"{_text(line.quantity)} {line.unit} × {_text(line.proxy.central)}{proxy_unit} × "
        f"{factors} = {_money(value)} {currency}"
    )


def build_map(
    lines: list[BalanceLine],
    market_revenue: Decimal,
    market_costs: Decimal,
    draws: int,
    seed: int,
    currency: str = "EUR",
) -> ImpactMap:
    """The ImpactMap the balance sheet is computed from; outcome i is line i, and the
    market revenue comes last."""
    revenue = to_decimal(market_revenue, "market_revenue")
    outcomes = []
    for index, line in enumerate(lines):
        try:
            outcomes.append(line.as_outcome())
        except ValuationError as error:
            raise error.within(f"lines[{index}]") from None
    try:
        outcomes.append(
            Outcome(
                label="Market revenue",
                stakeholder="",
                quantity=ONE,
                proxy=Range.exact(revenue),
                deadweight=Range.exact(0),
                displacement=Range.exact(0),
                attribution=Range.exact(0),
                drop_off=Range.exact(0),
                market=True,
                key=REVENUE_KEY,
            )
        )
        costs = Input("Market costs", to_decimal(market_costs, "market_costs"), 0)
    except ValuationError as error:
        name = "market_revenue" if error.path == "proxy" else "market_costs"
        raise ValuationError(name, error.detail) from None
    return ImpactMap(
        name="Extended balance sheet",
        currency=currency,
        discount_rate=ZERO,
        inputs=(costs,),
        outcomes=tuple(outcomes),
        draws=draws,
        seed=seed,
    )


def _line_entry(line: BalanceLine, values: list[Decimal], currency: str) -> dict[str, Any]:
    central, low, high = values[0], min(values), max(values)
    return {
        "key": line.key,
        "label": line.label,
        "unit": line.unit,
        "direction": line.direction,
        "headline": line.headline,
        "market": line.market,
        "cvn_account": line.cvn_account,
        "event_count": line.event_count,
        "quantity": _text(line.quantity),
        "proxy": _text(line.proxy.central),
        "adjustments": {name: _text(getattr(line, name).central) for name in ASSUMPTIONS[1:]},
        "value": {"central": _money(central), "low": _money(low), "high": _money(high)},
        "explanation": explanation(line, central, currency),
    }


def _group(entries: list[dict[str, Any]], values: list[Decimal]) -> dict[str, Any]:
    return {"total": _money(sum(values, ZERO)), "lines": entries}


def _line_values(scenarios: dict[str, dict], count: int) -> list[list[Decimal]]:
    """[central, pessimistic, optimistic] value of each line (one year, undiscounted)."""
    order = ("central", "pessimistic", "optimistic")
    return [[scenarios[s]["outcomes"][i]["value_year_1"] for s in order] for i in range(count)]


def _tiers(
    lines: list[BalanceLine],
    scenarios: dict[str, dict],
    revenue: Decimal,
    costs: Decimal,
    currency: str,
) -> dict[str, Any]:
    values = _line_values(scenarios, len(lines))
    market = {"benefit": revenue, "cost": costs}
    groups: dict[str, tuple[list, list]] = {name: ([], []) for name in ("benefit", "cost", "off")}
    for line, line_values in zip(lines, values, strict=True):
        if line.market and line.headline:
            market[line.direction] += line_values[0]
            continue
        entries, totals = groups[line.direction if line.headline else "off"]
        entries.append(_line_entry(line, line_values, currency))
        totals.append(line_values[0])
    return {
        "market": {
            "revenue": _money(market["benefit"]),
            "costs": _money(market["cost"]),
            "net": _money(market["benefit"] - market["cost"]),
        },
        "non_market": {
            "benefits": _group(*groups["benefit"]),
            "costs": _group(*groups["cost"]),
            "off_headline": _group(*groups["off"]),
            "note": "off-headline lines are valued and listed, but left out of every other total",
        },
    }


def _result(block: dict[str, Any]) -> dict[str, Any]:
    """benefits, costs, net (money strings) and ratio (float or None) of a projection."""
    ratio = block["sroi"]
    return {
        "benefits": _money(block["present_value"]),
        "costs": _money(block["inputs"]),
        "net": _money(block["npv"]),
        "ratio": float(ratio) if ratio is not None else None,
        "note": UNDEFINED if ratio is None else None,
    }


def _monte_carlo(imap: ImpactMap, arrays: dict[str, Any]) -> dict[str, Any]:
    block = ratio_block(arrays["sroi"], arrays["inputs"])
    return {
        "draws": imap.draws,
        "seed": imap.seed,
        "method": METHOD,
        "benefits_mean": float(np.mean(arrays["present_value"])),
        "net": summary(arrays["npv"]),
        "ratio": block["ratio"],
        "p_ratio_above_1": block["p_above_1"],
        "standard_error": block["standard_error"],
        "note": block["note"] and block["note"].replace("inputs:", "costs:"),
    }


def _by_line(entries: list[dict[str, Any]], lines: list[BalanceLine]) -> list[dict[str, Any]]:
    """Sensitivity entries named by line key, with ratio instead of sroi."""
    renamed = []
    for entry in entries:
        line = lines[entry["index"]]
        item = {"key": line.key, "label": line.label}
        for name, value in entry.items():
            if name not in ("index", "outcome", "key"):
                item[name.replace("sroi", "ratio")] = value
        renamed.append(item)
    return renamed


def balance_sheet(
    lines: list[BalanceLine],
    market_revenue: Decimal,
    market_costs: Decimal,
    draws: int = 10000,
    seed: int = 2026,
    currency: str = "EUR",
) -> dict[str, Any]:
    """The extended balance sheet, JSON-ready (see `balance_sheet_and_draws`)."""
    sheet, _ratios = balance_sheet_and_draws(
        lines, market_revenue, market_costs, draws, seed, currency
    )
    return sheet


@in_context
def balance_sheet_and_draws(
    lines: list[BalanceLine],
    market_revenue: Decimal,
    market_costs: Decimal,
    draws: int = 10000,
    seed: int = 2026,
    currency: str = "EUR",
) -> tuple[dict[str, Any], np.ndarray | None]:
    """The extended balance sheet, JSON-ready, and the ratio in each Monte Carlo draw
    (None when the costs are zero in some draw): a histogram of the draws then matches
    the sheet's statistics without simulating twice.

    Keys: tiers {market {revenue, costs, net}, non_market {benefits, costs,
    off_headline}}, extended {label, benefits, costs, net, ratio, note}, envelope
    {pessimistic, optimistic, note}, monte_carlo, tornado, switching_values, cvn.
    Exact money is a string with two decimals; statistics and ratios are floats.
    """
    lines = list(lines)
    imap = build_map(lines, market_revenue, market_costs, draws, seed, currency)
    scenarios = {s: project(imap, s) for s in ("central", "pessimistic", "optimistic")}
    revenue, costs = imap.outcomes[-1].proxy.central, imap.inputs[0].amount
    line_indices = range(len(lines))
    arrays = simulate_arrays(imap)
    result = {
        "currency": currency,
        "tiers": _tiers(lines, scenarios, revenue, costs, currency),
        "extended": {"label": EXTENDED_LABEL, **_result(scenarios["central"])},
        "envelope": {
            "pessimistic": _result(scenarios["pessimistic"]),
            "optimistic": _result(scenarios["optimistic"]),
            "note": ENVELOPE_NOTE,
        },
        "monte_carlo": _monte_carlo(imap, arrays),
        "tornado": _by_line(tornado(imap), lines),
        "switching_values": _by_line(
            switching_values(imap, ASSUMPTIONS, outcomes=line_indices), lines
        ),
        "cvn": cvn_json(cvn(imap.outcomes)),
    }
    return jsonable(result), arrays["sroi"]

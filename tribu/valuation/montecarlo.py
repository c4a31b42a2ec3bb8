"""Monte Carlo simulation of the SROI (DESIGN.md, "Uncertainty").

Each ranged value is drawn, independently, from a triangular (low, central, high)
distribution with NumPy's ``default_rng(seed)``, vectorised over draws: the only Python
loops run over outcomes, parameters and years, never over draws.

Draw order (fixed, so that a seed gives the same result bit for bit): outcomes in file
order; within an outcome proxy, deadweight, displacement, attribution, drop_off, then
the quantity (or each year's quantity, year by year). An
exact value (low == high) is a constant and takes nothing from the random stream —
NumPy's triangular refuses left == right, and a constant needs no draw anyway.
"""

import math
from typing import Any

import numpy as np
from numpy.random import default_rng

from .errors import ValuationError
from .model import RANGED, ImpactMap, Outcome, Range
from .projection import UNDEFINED_RATIO, inputs_present_value

METHOD = (
    "triangular(low, central, high) per ranged value, independent; NumPy default_rng(seed); "
    "drawn per outcome in file order, parameters in the order proxy, deadweight, "
    "displacement, attribution, drop_off, then quantity (each year's in turn); "
    "exact values are constants and take no draw"
)
NO_VALUE_TO_SHARE = "present value: zero in some draws — the shares are undefined"
SOME_COSTS_ZERO = "inputs: zero in some draws — the ratio is undefined"


def _draw(rng: np.random.Generator, values: Range, draws: int) -> np.ndarray:
    low, central, high = float(values.low), float(values.central), float(values.high)
    if values.is_exact:
        return np.full(draws, low)
    return rng.triangular(low, central, high, size=draws)


def _divisor(rate: float, year: int, discounting: str) -> float:
    # An int exponent at the end of the year: the same floats as before mid-year existed.
    return (1.0 + rate) ** (year - 0.5 if discounting == "mid_year" else year)


def _discount_factor(
    drop_off: np.ndarray, rate: float, years: int, start: int = 1, discounting: str = "end_of_year"
) -> np.ndarray:
    """Σ_t (1 − DO)^(t−S) / d_t for t = S … S + years − 1, one value per draw."""
    factor = np.zeros_like(drop_off)
    for t in range(start, start + years):
        # NumPy gives 0.0 ** 0 == 1.0, so a 100 % drop-off keeps the first year whole.
        factor += (1.0 - drop_off) ** (t - start) / _divisor(rate, t, discounting)
    return factor


def _quantities(rng: np.random.Generator, outcome: Outcome, draws: int) -> list[Any]:
    """The drawn quantity (or each year's): arrays where ranged, floats where exact."""
    if outcome.yearly_ranges:
        return [_draw(rng, r, draws) for r in outcome.yearly_ranges]
    if outcome.quantity_range is not None and not outcome.quantity_range.is_exact:
        return [_draw(rng, outcome.quantity_range, draws)]
    if outcome.yearly_quantities:
        return [float(q) for q in outcome.yearly_quantities]
    return [float(outcome.quantity)]


def _present_value(
    outcome: Outcome, p: dict[str, np.ndarray], imap: ImpactMap, quantities: list[Any]
) -> np.ndarray:
    rate, discounting = float(imap.discount_rate), imap.discounting
    kept = (1.0 - p["deadweight"]) * (1.0 - p["displacement"]) * (1.0 - p["attribution"])
    if outcome.yearly_quantities:
        start = outcome.start_year
        weight = sum(q / _divisor(rate, start + k, discounting) for k, q in enumerate(quantities))
        return p["proxy"] * kept * weight
    value = quantities[0] * p["proxy"]
    value *= kept
    factor = _discount_factor(
        p["drop_off"], rate, outcome.duration_years, outcome.start_year, discounting
    )
    return value * factor


def _check(draws: int, seed: int) -> None:
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise ValuationError("draws", f"must be an integer ≥ 1, got {draws!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValuationError("seed", f"must be an integer ≥ 0, got {seed!r}")


def simulate_arrays(
    imap: ImpactMap, draws: int | None = None, seed: int | None = None
) -> dict[str, Any]:
    """Raw draws, for statistics and histograms.

    Keys: ``present_value``, ``inputs`` (costs), ``npv`` and ``sroi`` (None when the
    ratio is undefined in any draw), each a float array of length ``draws``, and
    ``by_stakeholder``: the present value of each stakeholder's counted benefits.
    """
    draws = imap.draws if draws is None else draws
    seed = imap.seed if seed is None else seed
    _check(draws, seed)
    rng = default_rng(seed)
    benefits = np.zeros(draws)
    costs = np.full(draws, float(inputs_present_value(imap)))
    stakeholders: dict[str, np.ndarray] = {}
    for outcome in imap.outcomes:
        # Off-headline outcomes draw too, so that moving one off the headline does not
        # shift the random stream of the others.
        p = {name: _draw(rng, getattr(outcome, name), draws) for name in RANGED}
        quantities = _quantities(rng, outcome, draws)
        present_value = _present_value(outcome, p, imap, quantities)
        if not outcome.headline:
            continue
        if outcome.direction == "cost":
            costs += present_value
        else:
            benefits += present_value
            name = outcome.stakeholder
            stakeholders[name] = stakeholders.get(name, np.zeros(draws)) + present_value
    ratio = benefits / costs if np.all(costs > 0) else None
    return {
        "present_value": benefits,
        "inputs": costs,
        "npv": benefits - costs,
        "sroi": ratio,
        "by_stakeholder": stakeholders,
    }


def summary(values: np.ndarray) -> dict[str, float]:
    p5, p50, p95 = np.percentile(values, [5, 50, 95])
    return {"mean": float(np.mean(values)), "p5": float(p5), "p50": float(p50), "p95": float(p95)}


def stakeholder_shares(values: dict[str, np.ndarray], total: np.ndarray) -> list[dict[str, Any]]:
    """Each stakeholder's share of the present value, draw by draw; null (with a note)
    when some draw leaves no value to share."""
    shared = bool(np.all(total > 0))
    return [
        {
            "stakeholder": name,
            "present_value_mean": float(np.mean(pv)),
            "share": summary(pv / total) if shared else None,
            "note": None if shared else NO_VALUE_TO_SHARE,
        }
        for name, pv in values.items()
    ]


def ratio_block(ratio: np.ndarray | None, costs: np.ndarray) -> dict[str, Any]:
    """Statistics of a ratio array: summary, std, P(ratio > 1), standard error."""
    if ratio is None:
        note = UNDEFINED_RATIO if not np.any(costs > 0) else SOME_COSTS_ZERO
        return {"ratio": None, "p_above_1": None, "standard_error": None, "note": note}
    draws = len(ratio)
    std = float(np.std(ratio, ddof=1)) if draws > 1 else None
    return {
        "ratio": {**summary(ratio), "std": std},
        "p_above_1": float(np.mean(ratio > 1.0)),
        # Standard error of the mean ratio: how far the Monte Carlo mean may sit from
        # the mean of infinitely many draws.
        "standard_error": std / math.sqrt(draws) if std is not None else None,
        "note": None,
    }


def simulate(imap: ImpactMap, draws: int | None = None, seed: int | None = None) -> dict[str, Any]:
    """Monte Carlo summary. Keys: draws, seed, method, pv_mean, by_stakeholder (mean
    present value, and mean, P5, P50 and P95 of the share), npv {mean, p5, p50, p95},
    sroi {mean, p5, p50, p95, std} or None, p_sroi_above_1, standard_error, note."""
    draws = imap.draws if draws is None else draws
    seed = imap.seed if seed is None else seed
    arrays = simulate_arrays(imap, draws, seed)
    block = ratio_block(arrays["sroi"], arrays["inputs"])
    return {
        "draws": draws,
        "seed": seed,
        "method": METHOD,
        "pv_mean": float(np.mean(arrays["present_value"])),
        "by_stakeholder": stakeholder_shares(arrays["by_stakeholder"], arrays["present_value"]),
        "npv": summary(arrays["npv"]),
        "sroi": block["ratio"],
        "p_sroi_above_1": block["p_above_1"],
        "standard_error": block["standard_error"],
        "note": block["note"],
    }

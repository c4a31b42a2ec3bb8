"""Which assumption moves the ratio most, and how wrong it must be to change the verdict.

``tornado`` moves one parameter at a time to its low and its high value, the others at
central. ``switching_values`` finds, for each parameter, the value at which the ratio
equals exactly 1, by bisection inside the allowed range (fractions 0…1; a benefit's
proxy 0…central; a cost's proxy from central upwards). Both evaluate through
``sroi_with`` / ``totals``, the same code as the central projection.

The bisection follows the net (benefits − costs) rather than ratio − 1: both have the
same sign whenever costs are positive, and the net stays defined when moving a cost in
kind brings the costs to zero (the ratio then has no value, but is plainly above 1).
"""

from collections.abc import Callable, Container, Iterable
from decimal import Decimal
from typing import Any

from .model import ONE, RANGED, ZERO, ImpactMap, Outcome
from .projection import (
    UNDEFINED_RATIO,
    in_context,
    sroi_with,
    totals,
    with_overrides,
    with_quantities,
)

TOLERANCE = Decimal("1e-10")
MAX_DOUBLINGS = 64  # a cost proxy 2^64 times its central value is beyond any use
UNBOUNDED = "the ratio is undefined at one end: the costs fall to zero there"


def _headline(imap: ImpactMap) -> list[tuple[int, Outcome]]:
    # Off-headline outcomes are not in the ratio: moving them moves nothing.
    return [(i, o) for i, o in enumerate(imap.outcomes) if o.headline]


def _name(index: int, outcome: Outcome, parameter: str) -> dict[str, Any]:
    return {"index": index, "outcome": outcome.label, "key": outcome.key, "parameter": parameter}


def _bar(imap: ImpactMap, index: int, outcome: Outcome, parameter: str) -> dict[str, Any]:
    values = getattr(outcome, parameter)
    at_low = sroi_with(imap, {(index, parameter): values.low})
    at_high = sroi_with(imap, {(index, parameter): values.high})
    defined = at_low is not None and at_high is not None
    return {
        **_name(index, outcome, parameter),
        "low": values.low,
        "central": values.central,
        "high": values.high,
        "sroi_low": at_low,
        "sroi_high": at_high,
        "swing": abs(at_high - at_low) if at_low is not None and at_high is not None else None,
        "note": None if defined else UNBOUNDED,
    }


def _ratio(imap: ImpactMap) -> Decimal | None:
    benefits, costs = totals(imap)
    return benefits / costs if costs else None


def _quantity_bar(imap: ImpactMap, index: int, outcome: Outcome) -> dict[str, Any]:
    # Yearly quantities move together: the bar is the whole line's quantity range.
    at_low = _ratio(with_quantities(imap, index, "low"))
    at_high = _ratio(with_quantities(imap, index, "high"))
    ends = {level: outcome.quantities_at(level)[0] for level in ("low", "central", "high")}
    return {
        **_name(index, outcome, "quantity"),
        **ends,
        "sroi_low": at_low,
        "sroi_high": at_high,
        "swing": abs(at_high - at_low) if at_low is not None and at_high is not None else None,
        "note": None if at_low is not None and at_high is not None else UNBOUNDED,
    }


@in_context
def tornado(imap: ImpactMap) -> list[dict[str, Any]]:
    """For each headline outcome and each parameter given as a range (its quantity
    too), the SROI with that parameter alone at its low and at its high value; largest
    swing first. A line's yearly quantities move together; the bar shows year 1's.

    A bar whose end brings the costs to zero has no swing (None, with a note) and comes
    first: the ratio is unbounded there. Empty when the ratio is undefined at central.
    """
    if sroi_with(imap) is None:
        return []
    bars = [
        _bar(imap, index, outcome, parameter)
        for index, outcome in _headline(imap)
        for parameter in RANGED
        if not getattr(outcome, parameter).is_exact
    ]
    bars += [
        _quantity_bar(imap, index, outcome)
        for index, outcome in _headline(imap)
        if not outcome.quantity_is_exact
    ]
    # sorted() is stable: equal swings keep the file order.
    return sorted(bars, key=lambda bar: (bar["swing"] is not None, -(bar["swing"] or ZERO)))


def bisect(f: Callable[[Decimal], Decimal], low: Decimal, high: Decimal) -> Decimal | None:
    """A root of the monotone ``f`` in [low, high] to TOLERANCE, or None without a
    change of sign."""
    f_low, f_high = f(low), f(high)
    if f_low == 0:
        return low
    if f_high == 0:
        return high
    if (f_low > 0) == (f_high > 0):
        return None
    while high - low > TOLERANCE:
        middle = (low + high) / 2
        f_middle = f(middle)
        if f_middle == 0:
            return middle
        if (f_middle > 0) == (f_low > 0):
            low, f_low = middle, f_middle
        else:
            high = middle
    return (low + high) / 2


def _bounds(outcome: Outcome, parameter: str, net: Callable[[Decimal], Decimal]) -> tuple:
    if parameter != "proxy":
        return ZERO, ONE
    central = outcome.proxy.central
    if outcome.direction == "benefit":
        return ZERO, central
    # A higher cost lowers the ratio without limit: widen until it falls below 1.
    high = max(central, ONE) * 2
    for _ in range(MAX_DOUBLINGS):
        if net(high) <= 0:
            break
        high *= 2
    return central, high


def _ratio_text(ratio: Decimal | None) -> str:
    return "undefined" if ratio is None else f"{ratio:.6f}"


def _note(parameter: str, value: Decimal | None, ends: tuple, ratio: Callable) -> str:
    if value is not None:
        return f"the ratio equals 1 at {parameter} {value:.6f}"
    low, high = ends
    at_ends = (ratio(low), ratio(high))
    # No change of sign: both ends are on the same side of 1 (an undefined ratio
    # means costs of zero, so above 1 unless nothing at all is left).
    defined = [r for r in at_ends if r is not None]
    side = "above" if not defined or min(defined) > ONE else "below"
    nearest = min(defined, default=None) if side == "above" else max(defined)
    return (
        f"the ratio stays {side} 1 for {parameter} from {low.normalize():f} to "
        f"{high.normalize():f} (nearest to 1: {_ratio_text(nearest)})"
    )


def _switching(imap: ImpactMap, index: int, outcome: Outcome, parameter: str) -> dict:
    def net(x: Decimal) -> Decimal:
        benefits, costs = totals(with_overrides(imap, {(index, parameter): x}))
        return benefits - costs

    def ratio(x: Decimal) -> Decimal | None:
        return sroi_with(imap, {(index, parameter): x})

    ends = _bounds(outcome, parameter, net)
    value = bisect(net, *ends)
    if value is not None and ratio(value) is None:
        # Benefits and costs both vanish there: 0 / 0 is no switching point.
        note = f"benefits and costs both fall to zero at {parameter} {value:.6f}"
        return {**_name(index, outcome, parameter), "value": None, "note": note}
    note = _note(parameter, value, ends, ratio)
    return {**_name(index, outcome, parameter), "value": value, "note": note}


@in_context
def switching_values(
    imap: ImpactMap, parameters: Iterable[str] = RANGED, outcomes: Container[int] | None = None
) -> list[dict[str, Any]]:
    """For each headline outcome and parameter, the value at which the ratio equals 1.

    Entries: index, outcome, key, parameter, central, value (None when 1 cannot be
    reached in the allowed range, or when the ratio is undefined), note.
    ``parameters`` and ``outcomes`` (indices) narrow the search.
    """
    undefined = sroi_with(imap) is None
    results = []
    for index, outcome in _headline(imap):
        if outcomes is not None and index not in outcomes:
            continue
        for parameter in parameters:
            if parameter == "drop_off" and outcome.yearly_quantities:
                continue  # the yearly quantities already say how the change falls
            central = {"central": getattr(outcome, parameter).central}
            if undefined:
                entry = {**_name(index, outcome, parameter), "value": None, "note": UNDEFINED_RATIO}
            else:
                entry = _switching(imap, index, outcome, parameter)
            results.append({**entry, **central})
    return results

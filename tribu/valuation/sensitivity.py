"""Which assumption moves the ratio most, and how wrong it must be to change the verdict.

``tornado`` moves one parameter at a time to its low and its high value, the others at
central. ``switching_values`` finds, for each parameter, the value at which the ratio
equals exactly 1, by bisection inside the allowed range (fractions 0…1; a benefit's
proxy 0…central; a cost's proxy from central upwards). Both evaluate through
``sroi_with``, the same code as the central projection.
"""

from collections.abc import Callable, Container, Iterable
from decimal import Decimal
from typing import Any

from .model import ONE, RANGED, ZERO, ImpactMap, Outcome
from .projection import UNDEFINED_RATIO, in_context, sroi_with

TOLERANCE = Decimal("1e-10")
MAX_DOUBLINGS = 64  # a cost proxy 2^64 times its central value is beyond any use


def _headline(imap: ImpactMap) -> list[tuple[int, Outcome]]:
    # Off-headline outcomes are not in the ratio: moving them moves nothing.
    return [(i, o) for i, o in enumerate(imap.outcomes) if o.headline]


def _name(index: int, outcome: Outcome, parameter: str) -> dict[str, Any]:
    return {"index": index, "outcome": outcome.label, "key": outcome.key, "parameter": parameter}


@in_context
def tornado(imap: ImpactMap) -> list[dict[str, Any]]:
    """For each headline outcome and each parameter given as a range, the SROI with
    that parameter alone at its low and at its high value; largest swing first.
    Empty when the ratio is undefined (zero inputs)."""
    if sroi_with(imap) is None:
        return []
    bars = []
    for index, outcome in _headline(imap):
        for parameter in RANGED:
            values = getattr(outcome, parameter)
            if values.is_exact:
                continue
            at_low = sroi_with(imap, {(index, parameter): values.low})
            at_high = sroi_with(imap, {(index, parameter): values.high})
            bars.append(
                {
                    **_name(index, outcome, parameter),
                    "low": values.low,
                    "central": values.central,
                    "high": values.high,
                    "sroi_low": at_low,
                    "sroi_high": at_high,
                    "swing": abs(at_high - at_low),
                }
            )
    # sorted() is stable: equal swings keep the file order.
    return sorted(bars, key=lambda bar: -bar["swing"])


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


def _bounds(outcome: Outcome, parameter: str, f: Callable[[Decimal], Decimal]) -> tuple:
    if parameter != "proxy":
        return ZERO, ONE
    central = outcome.proxy.central
    if outcome.direction == "benefit":
        return ZERO, central
    # A higher cost lowers the ratio without limit: widen until it falls below 1.
    high = max(central, ONE) * 2
    for _ in range(MAX_DOUBLINGS):
        if f(high) <= 0:
            break
        high *= 2
    return central, high


def _note(parameter: str, value: Decimal | None, ends: tuple, f: Callable) -> str:
    if value is not None:
        return f"the ratio equals 1 at {parameter} {value:.6f}"
    low, high = ends
    ratios = (f(low) + ONE, f(high) + ONE)
    side = "above" if min(ratios) > ONE else "below"
    nearest = min(ratios) if side == "above" else max(ratios)
    return (
        f"the ratio stays {side} 1 for {parameter} from {low.normalize():f} to "
        f"{high.normalize():f} (nearest to 1: {nearest:.6f})"
    )


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
    parameters = tuple(parameters)
    results = []
    for index, outcome in _headline(imap):
        if outcomes is not None and index not in outcomes:
            continue
        for parameter in parameters:
            entry = {**_name(index, outcome, parameter)}
            entry["central"] = getattr(outcome, parameter).central
            if undefined:
                results.append({**entry, "value": None, "note": UNDEFINED_RATIO})
                continue

            def f(x: Decimal, index: int = index, parameter: str = parameter) -> Decimal:
                return sroi_with(imap, {(index, parameter): x}) - ONE

            ends = _bounds(outcome, parameter, f)
            value = bisect(f, *ends)
            results.append({**entry, "value": value, "note": _note(parameter, value, ends, f)})
    return results

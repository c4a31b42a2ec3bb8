"""What would make it pay off: break-even answers (DESIGN.md, "Forecast, break-even and
dossiers"), others held at central values.

With B the headline benefits, C the costs and R the rent inside C:

    break-even rent      R* = B − (C − R)
    break-even quantity  q_i* = q_i + (C − B) / u_i,  u_i = p_i (1 − DW)(1 − DS)(1 − AT)

A lever is anything whose quantity moves one side linearly: a benefit line (its value is
quantity × unit value) or a cost such as the rent (unit value 1 per currency unit, or the
present value of one unit when the costs run over several years). Answers are given even
far outside today's range, with the multiple of today's quantity. A lever may carry a
ceiling (a forecast's high quantity) and a floor (zero, or the forecast's low): a lever
whose answer lies beyond them cannot do it alone; when no benefit line can, the smallest
pair of changes that does is searched among all levers, rent included.

Switching values (sensitivity.py) keep their meaning: a value inside each assumption's
allowed range. This module only adds which way the ratio must move.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations
from typing import Any

from .cvn import money
from .model import ONE, ZERO, to_decimal
from .projection import year_one_value

HUNDREDTH = Decimal("0.01")
ADJUSTMENTS = ("proxy", "deadweight", "displacement", "attribution")


@dataclass(frozen=True)
class Lever:
    """A quantity that moves the benefits (side "benefit") or the costs (side "cost")
    by ``unit_value`` per unit."""

    key: str
    label: str
    unit: str
    quantity: Decimal
    unit_value: Decimal
    side: str = "benefit"
    floor: Decimal = ZERO
    ceiling: Decimal | None = None


def _round(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(_round(value))


def _needed(lever: Lever, gap: Decimal) -> Decimal | None:
    """The quantity at which benefits equal costs, or None when it moves nothing."""
    if lever.unit_value == 0:
        return None
    step = gap / lever.unit_value
    return lever.quantity + (step if lever.side == "benefit" else -step)


def _reason(lever: Lever, needed: Decimal | None) -> str | None:
    """Why this lever cannot bring the ratio to 1 on its own, or None when it can."""
    if needed is None:
        return "no_unit_value"
    if needed < lever.floor:
        return "below_floor"
    if lever.ceiling is not None and needed > lever.ceiling:
        return "above_ceiling"
    return None


def _answer(lever: Lever, gap: Decimal) -> dict[str, Any]:
    needed = _needed(lever, gap)
    multiple = needed / lever.quantity if needed is not None and lever.quantity else None
    return {
        "key": lever.key,
        "label": lever.label,
        "unit": lever.unit,
        "side": lever.side,
        "quantity": _text(lever.quantity),
        "unit_value": _text(lever.unit_value),
        "needed": _text(needed),
        "change": _text(needed - lever.quantity) if needed is not None else None,
        "multiple": _text(multiple),
        "floor": _text(lever.floor),
        "ceiling": _text(lever.ceiling),
        "reason": _reason(lever, needed),
    }


def _room(lever: Lever, gap: Decimal) -> Decimal:
    """The most this lever can close of the gap (C − B), moving the helpful way."""
    helps_up = (lever.side == "benefit") == (gap > 0)
    if helps_up:
        if lever.ceiling is None:
            return Decimal("Infinity")
        return max(lever.ceiling - lever.quantity, ZERO) * lever.unit_value
    return max(lever.quantity - lever.floor, ZERO) * lever.unit_value


def _stretch(pair: tuple[Lever, Lever], gap: Decimal) -> Decimal | None:
    """The smallest s such that moving each lever by s × its own quantity (at most to its
    floor or ceiling) closes the gap; None when the pair cannot."""
    need = abs(gap)
    parts = [(lever.quantity * lever.unit_value, _room(lever, gap)) for lever in pair]
    parts = [(rate, room) for rate, room in parts if rate > 0 and room > 0]
    if not parts or sum(room for _rate, room in parts) < need:
        return None
    # Closed at s is Σ min(rate·s, room): linear between the points where a lever stops.
    stops = sorted(room / rate for rate, room in parts)
    for stop in stops:
        fixed = sum((room for rate, room in parts if room / rate < stop), ZERO)
        free = sum((rate for rate, room in parts if room / rate >= stop), ZERO)
        s = (need - fixed) / free
        if s <= stop:
            return s
    return stops[-1]


def _moved(lever: Lever, s: Decimal, gap: Decimal) -> dict[str, Any]:
    up = (lever.side == "benefit") == (gap > 0)
    step = min(lever.quantity * s, _room(lever, gap) / lever.unit_value)
    to = lever.quantity + step if up else lever.quantity - step
    return {
        "key": lever.key,
        "label": lever.label,
        "unit": lever.unit,
        "from": _text(lever.quantity),
        "to": _text(to),
        "multiple": _text(to / lever.quantity) if lever.quantity else None,
    }


def smallest_pair(levers: list[Lever], gap: Decimal) -> dict[str, Any] | None:
    """The pair of levers that closes the gap with the smallest common relative move."""
    best = None
    for pair in combinations(levers, 2):
        s = _stretch(pair, gap)
        if s is not None and (best is None or s < best[0]):
            best = (s, pair)
    if best is None:
        return None
    s, pair = best
    return {"stretch": _text(s), "levers": [_moved(lever, s, gap) for lever in pair]}


def break_even(
    benefits: Decimal, costs: Decimal, levers: Iterable[Lever], rent: Lever | None = None
) -> dict[str, Any]:
    """Break-even answers, JSON-ready (money and quantities as strings, 2 decimals).

    ``direction`` is "rise" when the ratio is below 1 (benefits must rise to meet the
    costs), "fall" when above, "none" at exactly 1 or with no costs.
    """
    benefits, costs = to_decimal(benefits, "benefits"), to_decimal(costs, "costs")
    levers = list(levers)
    gap = costs - benefits
    ratio = benefits / costs if costs else None
    direction = "none" if ratio is None or gap == 0 else ("rise" if gap > 0 else "fall")
    lines = [_answer(lever, gap) for lever in levers]
    alone = any(line["reason"] is None for line in lines)
    everything = [*levers, *([rent] if rent is not None else [])]
    return {
        "benefits": str(money(benefits)),
        "costs": str(money(costs)),
        "gap": str(money(gap)),
        "ratio": float(ratio) if ratio is not None else None,
        "direction": direction,
        "rent": _answer(rent, gap) if rent is not None else None,
        "lines": lines,
        "alone": alone,
        "pair": None if alone or direction == "none" else smallest_pair(everything, gap),
    }


def unit_value(centrals: dict[str, Decimal]) -> Decimal:
    """The central value of one unit of a line: p × (1 − DW)(1 − DS)(1 − AT)."""
    return year_one_value(ONE, centrals)


def balance_levers(lines: Iterable[Any]) -> list[Lever]:
    """One lever per headline benefit line of a balance sheet (BalanceLine objects)."""
    return [
        Lever(
            key=line.key,
            label=line.label,
            unit=line.unit,
            quantity=line.quantity,
            unit_value=unit_value({n: getattr(line, n).central for n in ADJUSTMENTS}),
        )
        for line in lines
        if line.headline and line.direction == "benefit"
    ]


def with_bounds(lever: Lever, floor: Decimal, ceiling: Decimal | None) -> Lever:
    return replace(lever, floor=floor, ceiling=ceiling)


def impact_map_break_even(imap: Any, central: dict, bounds: dict[int, tuple], rent: dict | None):
    """Break-even answers for an impact map over its whole horizon (present values).

    ``central`` is ``project(imap)``; ``bounds`` maps an outcome index to its (floor,
    ceiling) quantities; ``rent`` is {key, label, unit, quantity, present_value} where
    quantity is the monthly rent and present_value the discounted rent of every year.
    """
    levers = []
    for entry in central["outcomes"]:
        outcome = imap.outcomes[entry["index"]]
        if not outcome.headline or outcome.direction != "benefit" or not outcome.quantity:
            continue
        floor, ceiling = bounds.get(entry["index"], (ZERO, None))
        unit = entry["present_value"] / outcome.quantity
        levers.append(
            Lever(outcome.key, outcome.label, "", outcome.quantity, unit, "benefit", floor, ceiling)
        )
    rent_lever = None
    if rent and rent["quantity"]:
        unit = rent["present_value"] / rent["quantity"]
        rent_lever = Lever(rent["key"], rent["label"], rent["unit"], rent["quantity"], unit, "cost")
    return break_even(central["present_value"], central["inputs"], levers, rent_lever)

"""Deterministic SROI projection, in Decimal arithmetic (DESIGN.md, "Projection").

    value_s  = Q × P × (1 − DW) × (1 − DS) × (1 − AT)
    I_s,t    = value_s × (1 − DO)^(t − S_s)          for t = S_s … S_s + N_s − 1
               (or Q_s,t × P × (1 − DW) × (1 − DS) × (1 − AT) with yearly quantities)
    PV       = Σ_s Σ_t I_s,t / d_t
    PV(in)   = Σ inputs_y / d_y                      (year 0 is not discounted)
    d_t      = (1 + r)^t at the end of the year (the default), (1 + r)^(t − 0.5) mid-year
    SROI     = PV / PV(in);  net SROI = (PV − PV(in)) / PV(in) = SROI − 1
    payback  = PV(in) / (Σ_s I_s,1 / 12)  months

S_s is the outcome's start year (1 by default). Off-headline outcomes are valued but
kept out of PV. Outcomes with
``direction="cost"`` (costs in kind) are valued by the same formula and added to the
cost side, so the balance sheet needs no second formula.
"""

import dataclasses
import functools
from collections.abc import Callable, Mapping
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Any

from .errors import ValuationError
from .model import ONE, RANGED, SCENARIOS, ZERO, ImpactMap, Outcome, Range, to_decimal

# A fixed context: results must not depend on whatever precision the caller's thread
# happens to use. 34 digits is IEEE decimal128, far beyond any figure we report.
CONTEXT = Context(
    prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow]
)

UNDEFINED_RATIO = "inputs: total is zero — the ratio is undefined"
NO_PAYBACK = "payback: no impact in year 1 — the payback is never reached"
NO_PAYBACK_YET = (
    "payback: the outcomes start after year 1 — the payback, counted on year 1's impact, "
    "is not given"
)
OVERRIDABLE = (*RANGED, "quantity", "duration_years")
YEARLY_FIXED = ("quantity", "duration_years", "drop_off")


def in_context[F: Callable[..., Any]](function: F) -> F:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with localcontext(CONTEXT):
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def power(base: Decimal, exponent: int) -> Decimal:
    # Decimal refuses 0 ** 0; a 100 % drop-off still leaves year 1 whole.
    return ONE if exponent == 0 else base**exponent


def scenario_values(outcome: Outcome, scenario: str) -> dict[str, Decimal]:
    """The value of each ranged parameter in a scenario.

    Pessimistic means bad for the ratio: for a benefit, proxy low and adjustments
    high; for a cost, the reverse. Optimistic is the mirror image.
    """
    if scenario not in SCENARIOS:
        raise ValuationError("scenario", f"must be one of {', '.join(SCENARIOS)}")
    if scenario == "central":
        return {name: getattr(outcome, name).central for name in RANGED}
    good = (scenario == "optimistic") == (outcome.direction == "benefit")
    proxy_end, fraction_end = ("high", "low") if good else ("low", "high")
    values = {name: getattr(outcome, name).pick(fraction_end) for name in RANGED}
    values["proxy"] = outcome.proxy.pick(proxy_end)
    return values


def scenario_level(outcome: Outcome, scenario: str) -> str:
    """Where a scenario puts the outcome's quantities: pessimistic is the low end for a
    benefit and the high end for a cost, optimistic the mirror image."""
    if scenario == "central":
        return "central"
    good = (scenario == "optimistic") == (outcome.direction == "benefit")
    return "high" if good else "low"


def year_one_value(quantity: Decimal, values: Mapping[str, Decimal]) -> Decimal:
    kept = (ONE - values["deadweight"]) * (ONE - values["displacement"])
    return quantity * values["proxy"] * kept * (ONE - values["attribution"])


def yearly_impact(value: Decimal, drop_off: Decimal, years: int) -> list[Decimal]:
    return [value * power(ONE - drop_off, t - 1) for t in range(1, years + 1)]


def outcome_impacts(
    outcome: Outcome, values: Mapping[str, Decimal], level: str = "central"
) -> list[Decimal]:
    """Impact in years 1 … last year of the outcome, zero before it starts, with the
    quantities at ``level`` of their ranges."""
    quantity, yearly = outcome.quantities_at(level)
    if yearly:
        active = [year_one_value(q, values) for q in yearly]
    else:
        value = year_one_value(quantity, values)
        active = yearly_impact(value, values["drop_off"], outcome.duration_years)
    return [ZERO] * (outcome.start_year - 1) + active


def divisor(factor: Decimal, year: int, discounting: str = "end_of_year") -> Decimal:
    """(1 + r)^t, or (1 + r)^(t − 0.5) mid-year; year 0 is never discounted."""
    if year == 0 or discounting == "end_of_year":
        return power(factor, year)
    # Decimal's square root is correctly rounded: (1 + r)^0.5 to the full context.
    return power(factor, year) / factor.sqrt()


def discounted(
    amounts: list[Decimal],
    rate: Decimal,
    first_year: int = 1,
    discounting: str = "end_of_year",
) -> Decimal:
    """Σ amount_t / d_t, the first amount falling in ``first_year``."""
    factor = ONE + rate
    return sum(
        (amount / divisor(factor, first_year + i, discounting) for i, amount in enumerate(amounts)),
        ZERO,
    )


@dataclasses.dataclass(frozen=True)
class OutcomeProjection:
    index: int
    outcome: Outcome
    value: Decimal  # the outcome's first year, undiscounted
    by_year: list[Decimal]  # from year 1, zero before the outcome starts
    present_value: Decimal

    @property
    def counts(self) -> bool:
        return self.outcome.headline

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "outcome": self.outcome.label,
            "key": self.outcome.key,
            "market": self.outcome.market,
            "headline": self.outcome.headline,
            "direction": self.outcome.direction,
            "stakeholder": self.outcome.stakeholder,
            "start_year": self.outcome.start_year,
            "value_year_1": self.by_year[0],
            "value_first_year": self.value,
            "impact_by_year": self.by_year,
            "present_value": self.present_value,
        }


def project_outcome(
    index: int,
    outcome: Outcome,
    scenario: str,
    rate: Decimal,
    discounting: str = "end_of_year",
) -> OutcomeProjection:
    values = scenario_values(outcome, scenario)
    by_year = outcome_impacts(outcome, values, scenario_level(outcome, scenario))
    value = by_year[outcome.start_year - 1]
    present_value = discounted(by_year, rate, discounting=discounting)
    return OutcomeProjection(index, outcome, value, by_year, present_value)


def project_outcomes(imap: ImpactMap, scenario: str) -> list[OutcomeProjection]:
    rate, discounting = imap.discount_rate, imap.discounting
    return [project_outcome(i, o, scenario, rate, discounting) for i, o in enumerate(imap.outcomes)]


@in_context
def inputs_present_value(imap: ImpactMap) -> Decimal:
    factor = ONE + imap.discount_rate
    return sum(
        (item.amount / divisor(factor, item.year, imap.discounting) for item in imap.inputs),
        ZERO,
    )


def by_stakeholder(benefits: list[OutcomeProjection]) -> list[dict[str, Any]]:
    """The present value of the counted benefits, stakeholder by stakeholder (in the
    order they first appear), and each one's share of the whole; the shares are null
    when there is no value to share."""
    values: dict[str, Decimal] = {}
    for projection in benefits:
        name = projection.outcome.stakeholder
        values[name] = values.get(name, ZERO) + projection.present_value
    total = sum(values.values(), ZERO)
    return [
        {"stakeholder": name, "present_value": pv, "share": pv / total if total else None}
        for name, pv in values.items()
    ]


def _split(projections: list[OutcomeProjection]) -> tuple[list, list, list]:
    benefits = [p for p in projections if p.counts and p.outcome.direction == "benefit"]
    costs = [p for p in projections if p.counts and p.outcome.direction == "cost"]
    off = [p for p in projections if not p.counts]
    return benefits, costs, off


def _sum_by_year(projections: list[OutcomeProjection]) -> list[Decimal]:
    years = max((len(p.by_year) for p in projections), default=0)
    totals = [ZERO] * years
    for projection in projections:
        for t, amount in enumerate(projection.by_year):
            totals[t] += amount
    return totals


def _starts_later(benefits: list[OutcomeProjection]) -> bool:
    return any(p.outcome.start_year > 1 for p in benefits)


def _ratios(
    present_value: Decimal, costs: Decimal, year_one: Decimal, later: bool = False
) -> dict[str, Any]:
    """sroi, net_sroi and payback, or null with a note where a ratio is undefined."""
    if costs == 0:
        # No exception and no infinity: the caller decides how to show it.
        return {"sroi": None, "net_sroi": None, "payback_months": None, "note": UNDEFINED_RATIO}
    sroi = present_value / costs
    payback = costs / (year_one / 12) if year_one > 0 else None
    return {
        "sroi": sroi,
        "net_sroi": sroi - ONE,
        "payback_months": payback,
        "note": None if payback is not None else NO_PAYBACK_YET if later else NO_PAYBACK,
    }


@in_context
def project(imap: ImpactMap, scenario: str = "central") -> dict[str, Any]:
    """The projection of ``imap`` under "central", "pessimistic" or "optimistic".

    Keys: scenario, impact_by_year, present_value, inputs (present value of inputs and
    counted costs in kind), inputs_nominal, npv, sroi, net_sroi, payback_months, note,
    by_stakeholder (present value and share of each stakeholder), outcomes (per
    outcome), off_headline (valued, not counted). Values are Decimal.
    """
    projections = project_outcomes(imap, scenario)
    benefits, costs, off = _split(projections)
    present_value = sum((p.present_value for p in benefits), ZERO)
    total_costs = inputs_present_value(imap) + sum((p.present_value for p in costs), ZERO)
    impact_by_year = _sum_by_year(benefits)
    year_one = impact_by_year[0] if impact_by_year else ZERO
    nominal = sum((item.amount for item in imap.inputs), ZERO)
    return {
        "scenario": scenario,
        "impact_by_year": impact_by_year,
        "present_value": present_value,
        "inputs": total_costs,
        "inputs_nominal": nominal + sum((sum(p.by_year, ZERO) for p in costs), ZERO),
        "npv": present_value - total_costs,
        **_ratios(present_value, total_costs, year_one, _starts_later(benefits)),
        "by_stakeholder": by_stakeholder(benefits),
        "outcomes": [p.as_dict() for p in projections],
        "off_headline": [p.as_dict() for p in off],
    }


@in_context
def totals(imap: ImpactMap, scenario: str = "central") -> tuple[Decimal, Decimal]:
    """(present value of counted benefits, present value of inputs and counted costs)."""
    benefits, costs, _ = _split(project_outcomes(imap, scenario))
    present_value = sum((p.present_value for p in benefits), ZERO)
    return present_value, inputs_present_value(imap) + sum((p.present_value for p in costs), ZERO)


def _override(outcome: Outcome, name: str, value: Any) -> Outcome:
    if name not in OVERRIDABLE:
        raise ValuationError(name, f"cannot be overridden (one of {', '.join(OVERRIDABLE)})")
    if name in RANGED and not isinstance(value, Range):
        value = Range.exact(to_decimal(value, name))
    if name == "quantity":
        # A quantity set from outside is exact: the old range no longer surrounds it.
        return dataclasses.replace(outcome, quantity=value, quantity_range=None)
    return dataclasses.replace(outcome, **{name: value})


def with_quantities(imap: ImpactMap, index: int, level: str) -> ImpactMap:
    """A copy of ``imap`` whose outcome ``index`` has every quantity (each year's too)
    at ``level`` of its range, as exact values."""
    outcome = imap.outcomes[index]
    quantity, yearly = outcome.quantities_at(level)
    moved = dataclasses.replace(
        outcome, quantity=quantity, yearly_quantities=yearly, quantity_range=None, yearly_ranges=()
    )
    outcomes = (*imap.outcomes[:index], moved, *imap.outcomes[index + 1 :])
    return dataclasses.replace(imap, outcomes=outcomes)


def with_overrides(imap: ImpactMap, overrides: Mapping[Any, Any]) -> ImpactMap:
    """A copy of ``imap`` with some parameters replaced.

    A key is a parameter name (applies to every outcome) or ``(outcome index, name)``.
    A value is a number (taken as exact) or a Range.
    """
    outcomes = list(imap.outcomes)
    for key, value in overrides.items():
        index, name = key if isinstance(key, tuple) else (None, key)
        targets = range(len(outcomes)) if index is None else [index]
        if index is None and name in YEARLY_FIXED:
            # Yearly quantities fix quantity, duration and drop-off: a change made to
            # every outcome leaves them as they are.
            targets = [i for i in targets if not outcomes[i].yearly_quantities]
        for i in targets:
            try:
                outcomes[i] = _override(outcomes[i], name, value)
            except ValuationError as error:
                raise error.within(f"outcomes[{i}]") from None
    return dataclasses.replace(imap, outcomes=tuple(outcomes))


@in_context
def sroi_with(
    imap: ImpactMap, overrides: Mapping[Any, Any] | None = None, scenario: str = "central"
) -> Decimal | None:
    """SROI with some parameters overridden (see ``with_overrides``); None when the
    inputs are zero.

    ``sroi_with(basic, {"drop_off": 0.5})`` is the basic case with a 50 % drop-off.
    """
    present_value, costs = totals(with_overrides(imap, overrides or {}), scenario)
    return present_value / costs if costs else None

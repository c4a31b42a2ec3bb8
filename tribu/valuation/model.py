"""Immutable value objects of an impact map.

Every figure is a ``Decimal`` so that the deterministic results are the same on every
machine; floats appear only inside the Monte Carlo simulation. Each object validates
itself on construction, so no half-valid map can reach the engine.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .cvn import CLASS_86
from .errors import ValuationError

RANGED = ("proxy", "deadweight", "displacement", "attribution", "drop_off")
FRACTIONS = RANGED[1:]
SCENARIOS = ("central", "pessimistic", "optimistic")
DIRECTIONS = ("benefit", "cost")
DISCOUNTING = ("end_of_year", "mid_year")
# Words a practitioner writes beside the figures; the engine carries them, never uses them.
OUTCOME_TEXTS = ("change", "output", "indicator", "indicator_source", "proxy_label", "proxy_source")

ZERO = Decimal(0)
ONE = Decimal(1)


def to_decimal(value: Any, path: str = "") -> Decimal:
    """A finite Decimal from a Decimal, int, float or numeric string.

    Floats go through ``str`` so that 0.1 becomes Decimal("0.1"), not its binary
    approximation. Booleans are refused: in Python ``True == 1``, which would let a
    mistyped flag pass as a quantity.
    """
    if isinstance(value, bool):
        raise ValuationError(path, f"must be a number, not a boolean ({value!r})")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | float | str):
        try:
            result = Decimal(str(value))
        except InvalidOperation:
            raise ValuationError(path, f"must be a number, got {value!r}") from None
    else:
        raise ValuationError(path, f"must be a number, got {type(value).__name__}")
    if not result.is_finite():
        raise ValuationError(path, f"must be a finite number, got {value!r}")
    return result


def _set(obj: object, name: str, value: Any) -> None:
    # Frozen dataclasses normalise their own fields once, in __post_init__.
    object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class Range:
    """Low, central and high values of one assumption; low ≤ central ≤ high."""

    low: Decimal
    central: Decimal
    high: Decimal

    def __post_init__(self) -> None:
        for name in ("low", "central", "high"):
            _set(self, name, to_decimal(getattr(self, name), name))
        if self.low > self.central:
            raise ValuationError("", f"low {self.low} is above central {self.central}")
        if self.central > self.high:
            raise ValuationError("", f"central {self.central} is above high {self.high}")

    @classmethod
    def exact(cls, value: Any) -> "Range":
        """A value known without uncertainty (a plain number in the file)."""
        number = to_decimal(value)
        return cls(number, number, number)

    @property
    def is_exact(self) -> bool:
        return self.low == self.high

    def pick(self, which: str) -> Decimal:
        """``which`` is "low", "central" or "high"."""
        return getattr(self, which)


def as_range(value: Any, path: str) -> Range:
    """A Range from a Range or a plain number; errors name ``path``."""
    if isinstance(value, Range):
        return value
    try:
        return Range.exact(value)
    except ValuationError as error:
        raise error.within(path) from None


def _check_fraction(rng: Range, path: str) -> None:
    for name in ("low", "central", "high"):
        value = rng.pick(name)
        if not ZERO <= value <= ONE:
            where = path if rng.is_exact else f"{path}.{name}"
            raise ValuationError(where, f"must be a fraction within 0..1, got {value}")


def _quantity_range(rng: Range, central: Decimal, path: str) -> Range:
    if rng.low < 0:
        raise ValuationError(f"{path}.low", f"must be ≥ 0, got {rng.low}")
    if rng.central != central:
        raise ValuationError(path, f"the range's central value must be {central}")
    return rng


def _check_text(value: Any, path: str, *, required: bool = True) -> None:
    if not isinstance(value, str):
        raise ValuationError(path, f"must be a string, got {type(value).__name__}")
    if required and not value.strip():
        raise ValuationError(path, "must not be empty")


def _check_int(value: Any, path: str, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValuationError(path, f"must be an integer, got {value!r}")
    if value < minimum:
        raise ValuationError(path, f"must be ≥ {minimum}, got {value}")


def _check_bool(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        raise ValuationError(path, f"must be true or false, got {value!r}")


@dataclass(frozen=True)
class Outcome:
    """One line of the impact map: a change valued by a financial proxy.

    value = quantity × proxy × (1 − deadweight) × (1 − displacement) × (1 − attribution)
    in ``start_year`` (1 by default), then reduced by drop-off each later year, for
    ``duration_years`` years. ``yearly_quantities`` is the alternative to one quantity
    with a drop-off: one quantity per year from ``start_year`` on (``quantity`` is then
    the first of them, the duration their number, and the drop-off zero).
    ``direction="cost"`` puts the line on the cost side (a cost in kind borne by the
    host in the balance sheet); it is valued by the same formula.

    ``quantity_range`` (central = ``quantity``) and ``yearly_ranges`` (one per yearly
    quantity, centrals = the yearly quantities) say how uncertain the quantities are;
    left out, the quantities are exact.
    """

    label: str
    stakeholder: str
    quantity: Decimal
    proxy: Range
    deadweight: Range
    displacement: Range
    attribution: Range
    drop_off: Range
    duration_years: int = 1
    market: bool = False
    headline: bool = True
    cvn_account: str | None = None
    key: str = ""
    direction: str = "benefit"
    start_year: int = 1
    yearly_quantities: tuple[Decimal, ...] = ()
    quantity_range: Range | None = None
    yearly_ranges: tuple[Range, ...] = ()
    change: str = ""
    output: str = ""
    indicator: str = ""
    indicator_source: str = ""
    proxy_label: str = ""
    proxy_source: str = ""

    def __post_init__(self) -> None:
        _check_text(self.label, "label")
        for name in OUTCOME_TEXTS:
            _check_text(getattr(self, name), name, required=False)
        _check_text(self.stakeholder, "stakeholder", required=False)
        _check_text(self.key, "key", required=False)
        _set(self, "quantity", to_decimal(self.quantity, "quantity"))
        if self.quantity < 0:
            raise ValuationError("quantity", f"must be ≥ 0, got {self.quantity}")
        for name in RANGED:
            _set(self, name, as_range(getattr(self, name), name))
        if self.proxy.low < 0:
            where = "proxy" if self.proxy.is_exact else "proxy.low"
            raise ValuationError(where, f"must be ≥ 0, got {self.proxy.low}")
        for name in FRACTIONS:
            _check_fraction(getattr(self, name), name)
        _check_int(self.duration_years, "duration_years", 1)
        _check_int(self.start_year, "start_year", 1)
        self._check_yearly()
        self._check_quantity_ranges()
        _check_bool(self.market, "market")
        _check_bool(self.headline, "headline")
        self._check_cvn()
        if self.direction not in DIRECTIONS:
            raise ValuationError(
                "direction", f"must be 'benefit' or 'cost', got {self.direction!r}"
            )

    def _check_yearly(self) -> None:
        if not self.yearly_quantities:
            return
        yearly = tuple(
            to_decimal(q, f"quantity[{i}]") for i, q in enumerate(self.yearly_quantities)
        )
        _set(self, "yearly_quantities", yearly)
        for i, q in enumerate(yearly):
            if q < 0:
                raise ValuationError(f"quantity[{i}]", f"must be ≥ 0, got {q}")
        if self.quantity != yearly[0]:
            raise ValuationError("quantity", "must be the first of the yearly quantities")
        if self.drop_off.high != 0:
            raise ValuationError(
                "drop_off",
                "must be left out with yearly quantities: they already say how the change falls",
            )
        if self.duration_years != len(yearly):
            raise ValuationError(
                "duration_years",
                f"must be the number of yearly quantities ({len(yearly)}), "
                f"got {self.duration_years}",
            )

    def _check_quantity_ranges(self) -> None:
        if self.quantity_range is not None:
            rng = as_range(self.quantity_range, "quantity")
            _set(self, "quantity_range", _quantity_range(rng, self.quantity, "quantity"))
        if not self.yearly_ranges:
            return
        ranges = tuple(as_range(r, f"quantity[{i}]") for i, r in enumerate(self.yearly_ranges))
        if len(ranges) != len(self.yearly_quantities):
            raise ValuationError("quantity", "needs one range per yearly quantity")
        checked = tuple(
            _quantity_range(r, q, f"quantity[{i}]")
            for i, (r, q) in enumerate(zip(ranges, self.yearly_quantities, strict=True))
        )
        _set(self, "yearly_ranges", checked)

    @property
    def quantity_is_exact(self) -> bool:
        ranges = self.yearly_ranges or ((self.quantity_range,) if self.quantity_range else ())
        return all(r.is_exact for r in ranges)

    def quantities_at(self, level: str) -> tuple[Decimal, tuple[Decimal, ...]]:
        """(quantity, yearly quantities) with every quantity at ``level``: "low",
        "central" or "high"."""
        if self.yearly_ranges:
            yearly = tuple(r.pick(level) for r in self.yearly_ranges)
            return yearly[0], yearly
        if self.quantity_range is not None:
            return self.quantity_range.pick(level), self.yearly_quantities
        return self.quantity, self.yearly_quantities

    def _check_cvn(self) -> None:
        account = self.cvn_account
        if account is None:
            return
        if isinstance(account, int) and not isinstance(account, bool):
            account = str(account)
            _set(self, "cvn_account", account)
        if account not in CLASS_86:
            known = ", ".join(CLASS_86)
            raise ValuationError("cvn_account", f"unknown account {account!r} (one of {known})")


@dataclass(frozen=True)
class Input:
    """Money put in; year 0 is not discounted, year y is divided by (1 + r)^y, or by
    (1 + r)^(y − 0.5) with mid-year discounting. ``stakeholder`` says who puts it in."""

    label: str
    amount: Decimal
    year: int = 0
    stakeholder: str = ""

    def __post_init__(self) -> None:
        _check_text(self.label, "label")
        _check_text(self.stakeholder, "stakeholder", required=False)
        _set(self, "amount", to_decimal(self.amount, "amount"))
        if self.amount < 0:
            raise ValuationError("amount", f"must be ≥ 0, got {self.amount}")
        _check_int(self.year, "year", 0)


@dataclass(frozen=True)
class ImpactMap:
    """Everything the engine needs to value a project, and nothing else."""

    name: str
    currency: str = "EUR"
    discount_rate: Decimal = Decimal("0.035")
    inputs: tuple[Input, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    draws: int = 10000
    seed: int = 2026
    discounting: str = "end_of_year"

    def __post_init__(self) -> None:
        _check_text(self.name, "name")
        _check_text(self.currency, "currency")
        rate = to_decimal(self.discount_rate, "discount_rate")
        if rate < 0:
            raise ValuationError("discount_rate", f"must be ≥ 0, got {rate}")
        _set(self, "discount_rate", rate)
        _set(self, "inputs", tuple(self.inputs))
        _set(self, "outcomes", tuple(self.outcomes))
        for index, item in enumerate(self.inputs):
            if not isinstance(item, Input):
                raise ValuationError(f"inputs[{index}]", "must be an Input")
        for index, outcome in enumerate(self.outcomes):
            if not isinstance(outcome, Outcome):
                raise ValuationError(f"outcomes[{index}]", "must be an Outcome")
        _check_int(self.draws, "draws", 1)
        _check_int(self.seed, "seed", 0)
        if self.discounting not in DISCOUNTING:
            raise ValuationError(
                "discounting",
                f"must be 'end_of_year' or 'mid_year', got {self.discounting!r}",
            )

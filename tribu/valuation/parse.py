"""Reading an impact-map file (the JSON format of DESIGN.md) into an ImpactMap.

Unknown keys are refused, naming the nearest known one: a misspelt ``drop_of`` or a
field of a later version, silently ignored, would give a wrong figure that looks right.
Everything the engine uses is checked, and every refusal names the field path.
"""

import difflib
import math
from decimal import Decimal
from typing import Any

from .errors import ValuationError
from .model import FRACTIONS, OUTCOME_TEXTS, ImpactMap, Input, Outcome, Range

_MISSING = object()
_BOUNDS = ("low", "central", "high")
DEFAULT_DISCOUNT_RATE = 0.035  # a JSON-like number, read like one from the file

TOP_FIELDS = (
    "name",
    "currency",
    "discount_rate",
    "discounting",
    "inputs",
    "outcomes",
    "simulation",
)
SIMULATION_FIELDS = ("draws", "seed")
INPUT_FIELDS = ("label", "amount", "year", "stakeholder")
OUTCOME_FIELDS = (
    "label", "stakeholder", "quantity", "proxy", *FRACTIONS, "duration_years",
    "start_year", "market", "headline", "cvn_account", "key", "direction", *OUTCOME_TEXTS,
)  # fmt: skip


def _is_number(value: Any) -> bool:
    # In Python a boolean is an int; a JSON `true` must not pass as the number 1.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(value: Any, path: str) -> Decimal:
    if isinstance(value, bool):
        raise ValuationError(path, f"must be a number, not a boolean ({str(value).lower()})")
    if not _is_number(value):
        raise ValuationError(path, f"must be a number, got {_kind(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValuationError(path, f"must be a finite number, got {value}")
    # str() first: Decimal(0.1) would keep the binary approximation of 0.1.
    return Decimal(str(value))


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _get(obj: dict[str, Any], key: str, path: str, default: Any = _MISSING) -> Any:
    if key in obj:
        return obj[key]
    if default is _MISSING:
        raise ValuationError(f"{path}.{key}" if path else key, "is required")
    return default


def _object(value: Any, path: str, known: tuple[str, ...] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValuationError(path, f"must be an object, got {_kind(value)}")
    if known is not None:
        for key in value:
            if key not in known:
                _unknown(key, path, known)
    return value


def _unknown(key: Any, path: str, known: tuple[str, ...]) -> None:
    where = f"{path}.{key}" if path != "file" else str(key)
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise ValuationError(where, f"unknown field ({hint}known: {', '.join(known)})")


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValuationError(path, f"must be a list, got {_kind(value)}")
    return value


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise ValuationError(path, f"must be a string, got {_kind(value)}")
    return value


def _integer(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValuationError(path, f"must be an integer, got {_kind(value)} {value!r}")
    return value


def _flag(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise ValuationError(path, f"must be true or false, got {_kind(value)}")
    return value


def _non_negative(value: Any, path: str) -> Decimal:
    number = _number(value, path)
    if number < 0:
        raise ValuationError(path, f"must be ≥ 0, got {number}")
    return number


def _range(value: Any, path: str) -> Range:
    """A plain number (no uncertainty) or {low, central, high}."""
    if _is_number(value) or isinstance(value, bool):
        return Range.exact(_number(value, path))  # refuses booleans by name
    if not isinstance(value, dict):
        raise ValuationError(path, "must be a number or {low, central, high}")
    _object(value, path, _BOUNDS)
    parts = {name: _number(_get(value, name, path), f"{path}.{name}") for name in _BOUNDS}
    try:
        return Range(**parts)
    except ValuationError as error:
        raise error.within(path) from None


def _input(data: Any, path: str) -> Input:
    data = _object(data, path, INPUT_FIELDS)
    label = _text(_get(data, "label", path), f"{path}.label")
    amount = _non_negative(_get(data, "amount", path), f"{path}.amount")
    year = _integer(_get(data, "year", path, 0), f"{path}.year")
    stakeholder = _text(_get(data, "stakeholder", path, ""), f"{path}.stakeholder")
    try:
        return Input(label, amount, year, stakeholder)
    except ValuationError as error:
        raise error.within(path) from None


def _cvn_account(value: Any, path: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return str(_integer(value, path))


def _quantity(value: Any, path: str) -> tuple[Decimal, Range | None]:
    """A plain quantity, or {low, central, high}: the central value and its range."""
    if isinstance(value, dict):
        rng = _range(value, path)
        if rng.low < 0:
            raise ValuationError(f"{path}.low", f"must be ≥ 0, got {rng.low}")
        return rng.central, rng
    return _non_negative(value, path), None


def _quantities(data: dict[str, Any], path: str) -> dict[str, Any]:
    """One quantity (with a drop-off and a duration) or a list of yearly quantities;
    each a number or {low, central, high}."""
    value = _get(data, "quantity", path)
    if not isinstance(value, list):
        duration = _integer(_get(data, "duration_years", path, 1), f"{path}.duration_years")
        central, rng = _quantity(value, f"{path}.quantity")
        return {"quantity": central, "quantity_range": rng, "duration_years": duration}
    if not value:
        raise ValuationError(f"{path}.quantity", "must hold at least one yearly quantity")
    read = [_quantity(q, f"{path}.quantity[{i}]") for i, q in enumerate(value)]
    yearly = tuple(central for central, _ in read)
    ranges = tuple(rng or Range.exact(central) for central, rng in read)
    duration = _integer(_get(data, "duration_years", path, len(yearly)), f"{path}.duration_years")
    fields = {"quantity": yearly[0], "yearly_quantities": yearly, "duration_years": duration}
    if any(rng is not None for _, rng in read):
        fields["yearly_ranges"] = ranges
    return fields


def _outcome(data: Any, path: str) -> Outcome:
    data = _object(data, path, OUTCOME_FIELDS)
    fields: dict[str, Any] = {
        "label": _text(_get(data, "label", path), f"{path}.label"),
        "stakeholder": _text(_get(data, "stakeholder", path, ""), f"{path}.stakeholder"),
        **_quantities(data, path),
        "proxy": _range(_get(data, "proxy", path), f"{path}.proxy"),
        "start_year": _integer(_get(data, "start_year", path, 1), f"{path}.start_year"),
        "market": _flag(_get(data, "market", path, False), f"{path}.market"),
        "headline": _flag(_get(data, "headline", path, True), f"{path}.headline"),
        "cvn_account": _cvn_account(_get(data, "cvn_account", path, None), f"{path}.cvn_account"),
        "key": _text(_get(data, "key", path, ""), f"{path}.key"),
        "direction": _text(_get(data, "direction", path, "benefit"), f"{path}.direction"),
    }
    for name in OUTCOME_TEXTS:
        fields[name] = _text(_get(data, name, path, ""), f"{path}.{name}")
    for name in FRACTIONS:
        # drop_off only matters after year 1, so it may be left out; the other
        # adjustments must be stated: a silent zero would inflate the value.
        default = 0 if name == "drop_off" else _MISSING
        fields[name] = _range(_get(data, name, path, default), f"{path}.{name}")
    try:
        return Outcome(**fields)
    except ValuationError as error:
        raise error.within(path) from None


def parse_impact_map(data: Any) -> ImpactMap:
    """An ImpactMap from the decoded JSON of an impact-map file.

    Required: ``name``, ``inputs``, ``outcomes``; in each input ``label`` and ``amount``;
    in each outcome ``label``, ``quantity`` (a number or {low, central, high}, or a list
    of yearly quantities, each one or the other),
    ``proxy``, ``deadweight``, ``displacement`` and ``attribution``. Optional:
    ``currency`` (EUR), ``discount_rate`` (0.035), ``discounting`` ("end_of_year" or
    "mid_year"), ``simulation.draws`` (10000), ``simulation.seed`` (2026), input
    ``year`` (0) and ``stakeholder`` (""), outcome ``stakeholder`` (""), ``drop_off``
    (0), ``duration_years`` (1, or the number of yearly quantities), ``start_year`` (1),
    ``market`` (false), ``headline`` (true), ``cvn_account`` (none), ``key`` (""),
    ``direction`` ("benefit"), and the practitioner's words: ``change``, ``output``,
    ``indicator``, ``indicator_source``, ``proxy_label``, ``proxy_source`` (""). Any
    other field is refused.
    """
    data = _object(data, "file", TOP_FIELDS)
    simulation = _object(_get(data, "simulation", "", {}), "simulation", SIMULATION_FIELDS)
    inputs = _list(_get(data, "inputs", ""), "inputs")
    outcomes = _list(_get(data, "outcomes", ""), "outcomes")
    fields = {
        "name": _text(_get(data, "name", ""), "name"),
        "currency": _text(_get(data, "currency", "", "EUR"), "currency"),
        "discount_rate": _non_negative(
            _get(data, "discount_rate", "", DEFAULT_DISCOUNT_RATE), "discount_rate"
        ),
        "discounting": _text(_get(data, "discounting", "", "end_of_year"), "discounting"),
        "inputs": tuple(_input(item, f"inputs[{i}]") for i, item in enumerate(inputs)),
        "outcomes": tuple(_outcome(item, f"outcomes[{i}]") for i, item in enumerate(outcomes)),
        "draws": _integer(_get(simulation, "draws", "simulation", 10000), "simulation.draws"),
        "seed": _integer(_get(simulation, "seed", "simulation", 2026), "simulation.seed"),
    }
    try:
        return ImpactMap(**fields)  # type: ignore[arg-type]  # each field checked above
    except ValuationError as error:
        if error.path in ("draws", "seed"):
            raise error.within("simulation") from None
        raise

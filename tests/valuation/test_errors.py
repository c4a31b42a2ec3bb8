"""Every bad input is refused with a ValuationError that names the field; an undefined
ratio is reported, never raised and never infinite."""

import copy
import dataclasses
import json
import math

import pytest

from tribu.valuation import (
    ImpactMap,
    Input,
    Outcome,
    Range,
    ValuationError,
    evaluate,
    parse_impact_map,
    project,
    sroi_with,
    switching_values,
    tornado,
)
from tribu.valuation.cli import run_sroi


def _with(data: dict, path: tuple, value) -> dict:
    """A deep copy of ``data`` with the item at ``path`` set (or deleted for ...)."""
    data = copy.deepcopy(data)
    target = data
    for step in path[:-1]:
        target = target[step]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


BAD = [
    (("outcomes", 0, "quantity"), -1, "outcomes[0].quantity: must be ≥ 0, got -1"),
    (("outcomes", 0, "deadweight"), 1.5, "outcomes[0].deadweight: must be a fraction within"),
    (
        ("outcomes", 0, "attribution"),
        {"low": 0.1, "central": 0.5, "high": 1.2},
        "outcomes[0].attribution.high: must be a fraction within 0..1, got 1.2",
    ),
    (
        ("outcomes", 0, "deadweight"),
        {"low": 0.3, "central": 0.2, "high": 0.4},
        "outcomes[0].deadweight: low 0.3 is above central 0.2",
    ),
    (
        ("outcomes", 0, "proxy"),
        {"low": 800, "central": 1300, "high": 1200},
        "outcomes[0].proxy: central 1300 is above high 1200",
    ),
    (
        ("outcomes", 0, "proxy"),
        "1000",
        "outcomes[0].proxy: must be a number or {low, central, high}",
    ),
    (("outcomes", 0, "proxy"), -5, "outcomes[0].proxy: must be ≥ 0, got -5"),
    (
        ("outcomes", 0, "proxy"),
        {"low": 800, "high": 1200},
        "outcomes[0].proxy.central: is required",
    ),
    (
        ("outcomes", 0, "proxy"),
        {"low": -1, "central": 0, "high": 1},
        "outcomes[0].proxy.low: must be ≥ 0, got -1",
    ),
    (("outcomes", 0, "quantity"), True, "outcomes[0].quantity: must be a number, not a boolean"),
    (("outcomes", 0, "drop_off"), False, "outcomes[0].drop_off: must be a number, not a boolean"),
    (("outcomes", 0, "quantity"), math.nan, "outcomes[0].quantity: must be a finite number"),
    (("outcomes", 0, "proxy"), math.inf, "outcomes[0].proxy: must be a finite number"),
    (("outcomes", 0, "quantity"), ..., "outcomes[0].quantity: is required"),
    (("outcomes", 0, "proxy"), ..., "outcomes[0].proxy: is required"),
    (("outcomes", 0, "deadweight"), ..., "outcomes[0].deadweight: is required"),
    (("outcomes", 0, "label"), 3, "outcomes[0].label: must be a string"),
    (("outcomes", 0, "market"), "yes", "outcomes[0].market: must be true or false"),
    (("outcomes", 0, "headline"), 1, "outcomes[0].headline: must be true or false"),
    (("outcomes", 0, "duration_years"), 0, "outcomes[0].duration_years: must be ≥ 1"),
    (("outcomes", 0, "duration_years"), 2.5, "outcomes[0].duration_years: must be an integer"),
    (("outcomes", 0, "cvn_account"), "865", "outcomes[0].cvn_account: unknown account '865'"),
    (("outcomes", 0), [1, 2], "outcomes[0]: must be an object, got a list"),
    (("outcomes",), {}, "outcomes: must be a list, got an object"),
    (("outcomes",), ..., "outcomes: is required"),
    (("inputs",), ..., "inputs: is required"),
    (("inputs", 0, "amount"), -10, "inputs[0].amount: must be ≥ 0, got -10"),
    (("inputs", 0, "amount"), None, "inputs[0].amount: must be a number, got null"),
    (("inputs", 0, "year"), -1, "inputs[0].year: must be ≥ 0"),
    (("name",), ..., "name: is required"),
    (("name",), "  ", "name: must not be empty"),
    (("discount_rate",), -0.01, "discount_rate: must be ≥ 0"),
    (("discount_rate",), "3.5%", "discount_rate: must be a number, got a string"),
    (("simulation", "draws"), 0, "simulation.draws: must be ≥ 1, got 0"),
    (("simulation", "seed"), -1, "simulation.seed: must be ≥ 0"),
    (("simulation",), 5, "simulation: must be an object"),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD, ids=[m for *_, m in BAD])
def test_bad_input_names_the_field(basic_data, path, value, message):
    with pytest.raises(ValuationError) as caught:
        parse_impact_map(_with(basic_data, path, value))
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_second_outcome_is_named_by_its_index(basic_data):
    data = copy.deepcopy(basic_data)
    data["outcomes"].append({**data["outcomes"][0], "proxy": [1, 2, 3]})
    with pytest.raises(ValuationError, match=r"^outcomes\[1\]\.proxy: must be a number or"):
        parse_impact_map(data)


def test_the_file_must_hold_an_object():
    with pytest.raises(ValuationError, match="must be an object, got a list"):
        parse_impact_map([])


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (("comment",), "comment: unknown field (known: name, currency"),
        (("discountng",), "discountng: unknown field (did you mean 'discounting'?"),
        (("outcomes", 0, "start_yaer"), "outcomes[0].start_yaer: unknown field (did you mean"),
        (("inputs", 0, "yr"), "inputs[0].yr: unknown field"),
        (("simulation", "draw"), "simulation.draw: unknown field (did you mean 'draws'?"),
    ],
)
def test_unknown_keys_are_refused(basic_data, path, message):
    # Today's silent default would give a wrong figure that looks right.
    with pytest.raises(ValuationError) as caught:
        parse_impact_map(_with(basic_data, path, 1))
    assert str(caught.value).startswith(message)


def test_an_unknown_key_in_a_range_is_refused(basic_data):
    spread = {"low": 1, "central": 2, "high": 3, "mode": 2}
    with pytest.raises(ValuationError, match=r"^outcomes\[0\]\.proxy\.mode: unknown field"):
        parse_impact_map(_with(basic_data, ("outcomes", 0, "proxy"), spread))


def test_optional_fields_default(basic_data):
    data = copy.deepcopy(basic_data)
    del data["outcomes"][0]["market"], data["currency"], data["simulation"]
    imap = parse_impact_map(data)
    outcome = imap.outcomes[0]
    assert (outcome.market, outcome.headline, outcome.cvn_account) == (False, True, None)
    assert (outcome.start_year, outcome.yearly_quantities, outcome.direction) == (1, (), "benefit")
    assert (imap.currency, imap.draws, imap.seed) == ("EUR", 10000, 2026)
    assert imap.discounting == "end_of_year"


def test_numbers_are_read_through_their_decimal_text(basic_data):
    imap = parse_impact_map(_with(basic_data, ("outcomes", 0, "attribution"), 0.1))
    assert str(imap.outcomes[0].attribution.central) == "0.1"


def test_cvn_account_may_be_a_number(basic_data):
    imap = parse_impact_map(_with(basic_data, ("outcomes", 0, "cvn_account"), 864))
    assert imap.outcomes[0].cvn_account == "864"


def test_model_objects_validate_themselves():
    with pytest.raises(ValuationError, match="^low 2 is above central 1$"):
        Range(2, 1, 3)
    with pytest.raises(ValuationError, match="^quantity: must be ≥ 0"):
        Outcome("x", "s", -1, Range.exact(1), *[Range.exact(0)] * 4)
    with pytest.raises(ValuationError, match=r"^deadweight\.high: must be a fraction"):
        Outcome("x", "s", 1, Range.exact(1), Range(0, 0, 2), *[Range.exact(0)] * 3)
    with pytest.raises(ValuationError, match="^amount: must be ≥ 0"):
        Input("rent", -1)
    with pytest.raises(ValuationError, match="^draws: must be ≥ 1"):
        ImpactMap(name="x", draws=0)
    with pytest.raises(ValuationError, match="must be a number, not a boolean"):
        Range.exact(True)
    assert Range.exact(3).is_exact and not Range(1, 2, 3).is_exact


def test_an_override_outside_the_allowed_range_is_refused(basic):
    with pytest.raises(ValuationError, match=r"^outcomes\[0\]\.drop_off: must be a fraction"):
        sroi_with(basic, {"drop_off": 1.5})
    with pytest.raises(ValuationError, match="cannot be overridden"):
        sroi_with(basic, {"label": "x"})


def test_zero_inputs_leave_the_ratio_undefined_without_error(basic):
    free = dataclasses.replace(basic, inputs=(Input("gift", 0),))
    central = project(free)
    assert central["sroi"] is central["net_sroi"] is central["payback_months"] is None
    assert central["note"] == "inputs: total is zero — the ratio is undefined"
    assert central["present_value"] > 0
    assert sroi_with(free) is None
    assert tornado(free) == []
    assert all(e["value"] is None and "undefined" in e["note"] for e in switching_values(free))
    result = evaluate(free, draws=50)
    assert result["monte_carlo"]["sroi"] is None
    assert "inputs: total is zero — the ratio is undefined" in result["notes"]
    json.dumps(result, allow_nan=False)  # no NaN, no infinity anywhere


def test_no_impact_in_year_one_means_no_payback(basic):
    nothing = dataclasses.replace(
        basic, outcomes=(dataclasses.replace(basic.outcomes[0], quantity=0),)
    )
    central = project(nothing)
    assert central["sroi"] == 0 and central["payback_months"] is None
    assert "never reached" in central["note"]


def test_unknown_scenario_is_refused(basic):
    with pytest.raises(ValuationError, match="^scenario: must be one of"):
        project(basic, "likely")


def test_cli_prints_the_evaluation(tmp_path, basic_data):
    path = tmp_path / "map.json"
    path.write_text(json.dumps(basic_data), encoding="utf-8")
    code, text = run_sroi(str(path), draws=200, seed=4)
    assert code == 0
    result = json.loads(text)
    assert result["monte_carlo"]["draws"] == 200 and result["monte_carlo"]["seed"] == 4
    assert result["central"]["sroi"] == pytest.approx(3.044300156, rel=1e-9)


def test_cli_reports_malformed_json_with_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "name": "x",\n  "inputs": [,]\n}\n', encoding="utf-8")
    code, text = run_sroi(str(path), None, None)
    assert code == 2
    assert text.startswith(f"error: {path}: malformed JSON at line 3, column 14")


def test_cli_reports_a_valuation_error(tmp_path, basic_data):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_with(basic_data, ("outcomes", 0, "quantity"), -2)))
    assert run_sroi(str(path), None, None) == (
        2,
        f"error: {path}: outcomes[0].quantity: must be ≥ 0, got -2",
    )


def test_cli_reports_bad_draws_and_a_missing_file(tmp_path, basic_data):
    path = tmp_path / "map.json"
    path.write_text(json.dumps(basic_data))
    assert run_sroi(str(path), 0, None) == (
        2,
        f"error: {path}: draws: must be an integer ≥ 1, got 0",
    )
    code, text = run_sroi(str(tmp_path / "absent.json"), None, None)
    assert code == 2 and text.startswith("error: ") and "cannot read" in text


def test_cli_rejects_nan_literals(tmp_path, basic_data):
    path = tmp_path / "nan.json"
    path.write_text(json.dumps(basic_data).replace('"quantity": 20', '"quantity": NaN'))
    code, text = run_sroi(str(path), None, None)
    assert (code, text) == (
        2,
        f"error: {path}: outcomes[0].quantity: must be a finite number, got nan",
    )


def test_cli_zero_inputs_is_not_an_error(tmp_path, basic_data):
    path = tmp_path / "free.json"
    path.write_text(json.dumps({**basic_data, "inputs": []}))
    code, text = run_sroi(str(path), 100, 1)
    assert code == 0
    assert json.loads(text)["central"]["sroi"] is None

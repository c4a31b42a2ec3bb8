"""Impact maps as SROI practitioners write them: outcomes that start later, yearly
quantities, mid-year discounting and value by stakeholder. Each expected figure is
computed here by plain arithmetic, independently of the engine."""

import json
import math

import pytest

from tribu.valuation import (
    ValuationError,
    evaluate,
    parse_impact_map,
    project,
    simulate,
    sroi_with,
    switching_values,
)

RATE = 0.035
LATER = {  # 10 × 100 × 0.8 × 0.9 = 720 a year from year 2, falling by 25 % a year
    "label": "Jobs kept",
    "stakeholder": "Residents",
    "quantity": 10,
    "proxy": 100,
    "deadweight": 0.2,
    "displacement": 0,
    "attribution": 0.1,
    "drop_off": 0.25,
    "duration_years": 3,
    "start_year": 2,
}
YEARLY = {  # 50 × 0.9 × 0.95 × 0.8 = 34.2 per person, for 120, then 100, then 80 people
    "label": "Evenings out",
    "stakeholder": "Neighbours",
    "quantity": [120, 100, 80],
    "proxy": 50,
    "deadweight": 0.1,
    "displacement": 0.05,
    "attribution": 0.2,
}


def impact_map(*outcomes, discounting=None, inputs=None) -> dict:
    data = {
        "name": "Practice",
        "discount_rate": RATE,
        "inputs": inputs or [{"label": "Fit-out", "amount": 1000}],
        "outcomes": list(outcomes),
        "simulation": {"draws": 2000, "seed": 3},
    }
    if discounting:
        data["discounting"] = discounting
    return data


def test_an_outcome_starting_in_year_2_with_drop_off():
    central = project(parse_impact_map(impact_map(LATER)))
    expected_years = [0, 720, 540, 405]
    assert [float(x) for x in central["impact_by_year"]] == expected_years
    present_value = 720 / 1.035**2 + 540 / 1.035**3 + 405 / 1.035**4
    assert float(central["present_value"]) == pytest.approx(present_value, rel=1e-12)
    assert float(central["sroi"]) == pytest.approx(present_value / 1000, rel=1e-12)
    line = central["outcomes"][0]
    assert (line["start_year"], line["value_year_1"], line["value_first_year"]) == (2, 0, 720)
    # Nothing in year 1: the payback, counted on year 1, is not given, and says why.
    assert central["payback_months"] is None
    assert central["note"].startswith("payback: the outcomes start after year 1")


def test_yearly_quantities():
    central = project(parse_impact_map(impact_map(YEARLY)))
    unit = 50 * 0.9 * 0.95 * 0.8
    expected = [120 * unit, 100 * unit, 80 * unit]
    assert [float(x) for x in central["impact_by_year"]] == pytest.approx(expected, rel=1e-12)
    present_value = sum(v / 1.035 ** (t + 1) for t, v in enumerate(expected))
    assert float(central["present_value"]) == pytest.approx(present_value, rel=1e-12)


def test_yearly_quantities_may_start_later():
    later = {**YEARLY, "start_year": 3}
    central = project(parse_impact_map(impact_map(later)))
    unit = 50 * 0.9 * 0.95 * 0.8
    assert [float(x) for x in central["impact_by_year"]] == pytest.approx(
        [0, 0, 120 * unit, 100 * unit, 80 * unit], rel=1e-12
    )


def test_mid_year_against_end_of_year_on_the_same_map():
    end = evaluate(parse_impact_map(impact_map(LATER, YEARLY)), draws=100)
    mid = evaluate(parse_impact_map(impact_map(LATER, YEARLY, discounting="mid_year")), draws=100)
    assert (end["discounting"], mid["discounting"]) == ("end_of_year", "mid_year")
    assert "(1 + r)^(t − 0.5)" in mid["discounting_note"]
    # Every year moves half a year closer, and the only input is in year 0.
    ratio = mid["central"]["present_value"] / end["central"]["present_value"]
    assert ratio == pytest.approx(math.sqrt(1 + RATE), rel=1e-14)
    assert mid["central"]["inputs"] == end["central"]["inputs"] == 1000
    assert mid["central"]["sroi"] / end["central"]["sroi"] == pytest.approx(1.035**0.5, rel=1e-14)


def test_mid_year_discounting_applies_to_inputs_after_year_0():
    inputs = [{"label": "Fit-out", "amount": 1000}, {"label": "Repairs", "amount": 500, "year": 2}]
    mid = project(parse_impact_map(impact_map(LATER, discounting="mid_year", inputs=inputs)))
    assert float(mid["inputs"]) == pytest.approx(1000 + 500 / 1.035**1.5, rel=1e-14)
    end = project(parse_impact_map(impact_map(LATER, inputs=inputs)))
    assert float(end["inputs"]) == pytest.approx(1000 + 500 / 1.035**2, rel=1e-14)


def test_stakeholder_shares_sum_to_one():
    residents_too = {**YEARLY, "label": "Rooms", "stakeholder": "Residents"}
    data = impact_map(LATER, YEARLY, residents_too)
    central = project(parse_impact_map(data))
    later = 720 / 1.035**2 + 540 / 1.035**3 + 405 / 1.035**4
    yearly = 34.2 * (120 / 1.035 + 100 / 1.035**2 + 80 / 1.035**3)
    total = later + 2 * yearly
    shares = {s["stakeholder"]: s for s in central["by_stakeholder"]}
    assert list(shares) == ["Residents", "Neighbours"]
    assert float(shares["Residents"]["present_value"]) == pytest.approx(later + yearly, rel=1e-12)
    assert float(shares["Neighbours"]["share"]) == pytest.approx(yearly / total, rel=1e-12)
    assert sum(s["share"] for s in central["by_stakeholder"]) == 1


def test_stakeholders_in_every_scenario_and_in_the_monte_carlo():
    uncertain = {**LATER, "proxy": {"low": 60, "central": 100, "high": 120}}
    result = evaluate(parse_impact_map(impact_map(uncertain, YEARLY)), draws=4000, seed=9)
    for scenario in ("central", "pessimistic", "optimistic"):
        shares = [s["share"] for s in result[scenario]["by_stakeholder"]]
        assert sum(shares) == pytest.approx(1, abs=1e-15)
    pessimistic = result["pessimistic"]["by_stakeholder"][0]["share"]
    optimistic = result["optimistic"]["by_stakeholder"][0]["share"]
    assert pessimistic < result["central"]["by_stakeholder"][0]["share"] < optimistic
    blocks = result["monte_carlo"]["by_stakeholder"]
    assert [b["stakeholder"] for b in blocks] == ["Residents", "Neighbours"]
    # Shares sum to 1 in every draw, so their means do too.
    assert sum(b["share"]["mean"] for b in blocks) == pytest.approx(1, abs=1e-12)
    for block in blocks:
        share = block["share"]
        assert 0 < share["p5"] < share["mean"] < share["p95"] < 1
    assert sum(b["present_value_mean"] for b in blocks) == pytest.approx(
        result["monte_carlo"]["pv_mean"], rel=1e-12
    )


def test_exact_maps_give_the_same_present_value_in_every_draw():
    # Start years, yearly quantities and mid-year discounting reach the simulation too.
    for discounting in ("end_of_year", "mid_year"):
        imap = parse_impact_map(impact_map(LATER, YEARLY, discounting=discounting))
        central = project(imap)
        carlo = simulate(imap, draws=10)
        assert carlo["pv_mean"] == pytest.approx(float(central["present_value"]), rel=1e-13)
        deterministic = [float(s["share"]) for s in central["by_stakeholder"]]
        drawn = [b["share"]["mean"] for b in carlo["by_stakeholder"]]
        assert drawn == pytest.approx(deterministic, rel=1e-13)


def test_no_value_leaves_the_shares_undefined():
    nothing = {**LATER, "quantity": 0}
    result = evaluate(parse_impact_map(impact_map(nothing)), draws=10)
    assert result["central"]["by_stakeholder"][0]["share"] is None
    assert result["monte_carlo"]["by_stakeholder"][0]["share"] is None
    assert "shares are undefined" in result["monte_carlo"]["by_stakeholder"][0]["note"]
    json.dumps(result, allow_nan=False)


def test_sensitivity_leaves_yearly_quantities_as_they_are():
    imap = parse_impact_map(impact_map(LATER, YEARLY))
    entries = switching_values(imap)
    assert {(e["index"], e["parameter"]) for e in entries if e["parameter"] == "drop_off"} == {
        (0, "drop_off")
    }
    # A drop-off given to every outcome reaches the one with a single quantity only.
    only_later = sroi_with(parse_impact_map(impact_map(LATER)), {"drop_off": 0.5})
    yearly_alone = sroi_with(parse_impact_map(impact_map(YEARLY)))
    assert sroi_with(imap, {"drop_off": 0.5}) == pytest.approx(only_later + yearly_alone)


BAD = [
    ({"quantity": []}, "outcomes[0].quantity: must hold at least one yearly quantity"),
    ({"quantity": [1, -2]}, "outcomes[0].quantity[1]: must be ≥ 0, got -2"),
    ({"quantity": [1, "2"]}, "outcomes[0].quantity[1]: must be a number"),
    ({"quantity": [1, 2]}, "outcomes[0].drop_off: must be left out with yearly quantities"),
    (
        {"quantity": [1, 2], "drop_off": 0, "duration_years": 3},
        "outcomes[0].duration_years: must be the number of yearly quantities (2), got 3",
    ),
    ({"start_year": 0}, "outcomes[0].start_year: must be ≥ 1, got 0"),
    ({"start_year": 1.5}, "outcomes[0].start_year: must be an integer"),
    ({"direction": "gain"}, "outcomes[0].direction: must be 'benefit' or 'cost'"),
    ({"indicator": 3}, "outcomes[0].indicator: must be a string"),
]


@pytest.mark.parametrize(("change", "message"), BAD, ids=[m for _c, m in BAD])
def test_bad_practice_fields_are_refused(change, message):
    with pytest.raises(ValuationError) as caught:
        parse_impact_map(impact_map({**LATER, **change}))
    assert str(caught.value).startswith(message)


def test_an_unknown_discounting_is_refused():
    with pytest.raises(ValuationError, match="^discounting: must be 'end_of_year' or 'mid_year'"):
        parse_impact_map(impact_map(LATER, discounting="middle"))


def test_the_practitioners_words_are_kept():
    words = {
        "change": "Feel safer",
        "output": "40 evenings",
        "indicator": "Survey answer",
        "indicator_source": "Survey 2026",
        "proxy_label": "Cost of a night out",
        "proxy_source": "INSEE",
    }
    inputs = [{"label": "Time", "amount": 10, "stakeholder": "Volunteers"}]
    imap = parse_impact_map(impact_map({**LATER, **words}, inputs=inputs))
    outcome = imap.outcomes[0]
    assert {name: getattr(outcome, name) for name in words} == words
    assert imap.inputs[0].stakeholder == "Volunteers"


def test_the_documented_example_is_a_valid_impact_map():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "impact-map.md").read_text("utf-8")
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    imap = parse_impact_map(json.loads(example))
    assert [o.start_year for o in imap.outcomes] == [1, 2]
    assert imap.outcomes[1].yearly_quantities == (120, 100, 80)

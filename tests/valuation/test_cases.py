"""The worked examples of cases/README.md, figure by figure (deterministic: 1e-6
relative, see ``close``)."""

import pytest

from tribu.valuation import evaluate, project, sroi_with, switching_values

from .conftest import cases_dir, close

# Every deterministic figure of the README that these tests check, as printed there.
BASIC = {
    "by_year": ["12,000", "10,800", "9,720"],
    "undiscounted": "32,520",
    "present_value": "30,443.0016",
    "inputs": "10,000",
    "npv": "20,443.0016",
    "sroi": "3.044300",
    "net_sroi": "2.044300",
    "payback": "10 months",
    "switching": {"deadweight": "0.753638", "displacement": "0.671517", "attribution": "0.737214"},
    "drop_off_full": "1.1594",
    "drop_off_50": "1.990110",
    "duration_5": "4.469540",
    "duration_1": "1.159420",
}


def test_readme_states_the_figures_checked_here():
    # Guards against a figure copied wrongly into this file.
    text = (cases_dir() / "README.md").read_text(encoding="utf-8")
    figures = [*BASIC["by_year"], *BASIC["switching"].values()]
    figures += [v for k, v in BASIC.items() if isinstance(v, str)]
    for figure in figures:
        assert figure in text, figure


def test_basic_impact_by_year(basic):
    central = project(basic)
    assert [str(round(x)) for x in central["impact_by_year"]] == ["12000", "10800", "9720"]
    for actual, expected in zip(central["impact_by_year"], BASIC["by_year"], strict=True):
        assert close(actual, expected)
    assert close(sum(central["impact_by_year"]), BASIC["undiscounted"])


@pytest.mark.parametrize("key", ["present_value", "inputs", "npv", "sroi", "net_sroi"])
def test_basic_headline_figures(basic, key):
    assert close(project(basic)[key], BASIC[key])


def test_basic_payback_is_ten_months(basic):
    assert close(project(basic)["payback_months"], "10")


def test_basic_net_sroi_is_sroi_minus_one(basic):
    central = project(basic)
    assert abs(central["net_sroi"] - (central["sroi"] - 1)) < 1e-20


@pytest.mark.parametrize("parameter", ["deadweight", "displacement", "attribution"])
def test_basic_switching_values(basic, parameter):
    entry = next(e for e in switching_values(basic) if e["parameter"] == parameter)
    assert close(entry["value"], BASIC["switching"][parameter])
    # And the ratio really is 1 there.
    assert abs(sroi_with(basic, {parameter: entry["value"]}) - 1) < 1e-9


def test_basic_drop_off_cannot_switch(basic):
    entry = next(e for e in switching_values(basic) if e["parameter"] == "drop_off")
    assert entry["value"] is None
    assert "stays above 1" in entry["note"]
    # Even at 100 % drop-off, year 1 alone gives 1.1594.
    assert "1.159420" in entry["note"]
    assert close(sroi_with(basic, {"drop_off": 1}), BASIC["drop_off_full"])


def test_basic_proxy_switching_value_is_proxy_over_sroi(basic):
    entry = next(e for e in switching_values(basic) if e["parameter"] == "proxy")
    expected = 1000 / project(basic)["sroi"]
    assert abs(entry["value"] - expected) < 1e-9


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"drop_off": 0.5}, BASIC["drop_off_50"]),
        ({"duration_years": 5}, BASIC["duration_5"]),
        ({"duration_years": 1}, BASIC["duration_1"]),
        ({(0, "duration_years"): 5}, BASIC["duration_5"]),
    ],
)
def test_basic_sensitivity(basic, overrides, expected):
    assert close(sroi_with(basic, overrides), expected)


def test_basic_has_no_uncertainty_so_the_envelope_is_a_point(basic):
    result = evaluate(basic)
    assert (
        result["pessimistic"]["sroi"] == result["central"]["sroi"] == result["optimistic"]["sroi"]
    )
    assert result["tornado"] == []


def test_symmetric_envelope_is_0_and_2(symmetric):
    result = evaluate(symmetric, draws=1000)
    assert result["pessimistic"]["sroi"] == 0
    assert result["central"]["sroi"] == 1
    assert result["optimistic"]["sroi"] == 2
    assert "not a confidence interval" in result["envelope_note"]


def test_evaluate_output_holds_the_documented_keys(basic):
    result = evaluate(basic, draws=100)
    for key in (
        "name",
        "currency",
        "discount_rate",
        "ratio_shown",
        "ratio_note",
        "central",
        "pessimistic",
        "optimistic",
        "envelope_note",
        "tiers",
        "monte_carlo",
        "tornado",
        "switching_values",
        "cvn",
    ):
        assert key in result, key
    assert result["ratio_shown"] == "sroi"
    assert "net" in result["ratio_note"]
    for key in ("impact_by_year", "present_value", "inputs", "npv", "sroi", "net_sroi"):
        assert key in result["central"]
    assert close(result["tiers"]["non_market"], BASIC["present_value"])
    assert result["tiers"]["market"] == 0
    for key in ("draws", "seed", "pv_mean", "sroi", "p_sroi_above_1", "standard_error"):
        assert key in result["monte_carlo"]

"""The host's extended balance sheet: figures recomputed by hand, and its properties."""

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tribu.valuation import (
    BalanceLine,
    Range,
    ValuationError,
    balance_sheet,
    project,
    sroi_with,
)
from tribu.valuation.balance import build_map

ZERO = Range.exact(0)


def line(key, quantity, proxy, deadweight=ZERO, **extra) -> BalanceLine:
    fields = {"unit": "night", "displacement": ZERO, "attribution": ZERO, **extra}
    return BalanceLine(
        key=key, label=key.title(), quantity=Decimal(quantity), proxy=proxy,
        deadweight=deadweight, **fields,
    )  # fmt: skip


@pytest.fixture
def host_lines() -> list[BalanceLine]:
    return [
        line("nights", 3, Range(150, 180, 220), Range("0.10", "0.20", "0.30"), event_count=3),
        line("volunteers", 120, Range.exact("12.02"), unit="hour", cvn_account="864"),
        line("space", 10, Range(900, 1200, 1500), unit="day", cvn_account="8611"),
        line("press", 2, Range(500, 1000, 3000), unit="item", headline=False),
        line("help", 40, Range(20, 30, 40), unit="hour", direction="cost"),
    ]


@pytest.fixture
def sheet(host_lines) -> dict:
    return balance_sheet(host_lines, Decimal("5000"), Decimal("10000"), draws=2000, seed=11)


def test_explanation_of_a_line(sheet):
    nights = sheet["tiers"]["non_market"]["benefits"]["lines"][0]
    assert (
        nights["explanation"] == "3 night × 180 EUR × (1 − 0.20) × (1 − 0) × (1 − 0) = 432.00 EUR"
    )
    assert nights["value"] == {"central": "432.00", "low": "315.00", "high": "594.00"}
    assert (nights["quantity"], nights["proxy"], nights["event_count"]) == ("3", "180", 3)
    assert nights["adjustments"] == {"deadweight": "0.2", "displacement": "0", "attribution": "0"}


def test_tiers_are_shown_apart(sheet):
    tiers = sheet["tiers"]
    assert tiers["market"] == {"revenue": "5000.00", "costs": "10000.00", "net": "-5000.00"}
    non_market = tiers["non_market"]
    # 432 + 1,442.40 + 12,000 benefits; 40 h × 30 costs in kind; press is off the headline.
    assert non_market["benefits"]["total"] == "13874.40"
    assert non_market["costs"]["total"] == "1200.00"
    assert non_market["off_headline"]["total"] == "2000.00"
    assert [x["key"] for x in non_market["off_headline"]["lines"]] == ["press"]


def test_extended_total(sheet):
    extended = sheet["extended"]
    assert "Extended" in extended["label"]
    assert (extended["benefits"], extended["costs"], extended["net"]) == (
        "18874.40",
        "11200.00",
        "7674.40",
    )
    assert extended["ratio"] == pytest.approx(18874.40 / 11200, rel=1e-12)
    assert extended["note"] is None


def test_envelope_and_monte_carlo(sheet):
    envelope = sheet["envelope"]
    assert envelope["pessimistic"]["ratio"] < sheet["extended"]["ratio"]
    assert sheet["extended"]["ratio"] < envelope["optimistic"]["ratio"]
    assert "not a confidence interval" in envelope["note"]
    mc = sheet["monte_carlo"]
    assert (mc["draws"], mc["seed"]) == (2000, 11)
    assert 0 <= mc["p_ratio_above_1"] <= 1
    assert mc["ratio"]["p5"] <= mc["ratio"]["p50"] <= mc["ratio"]["p95"]
    assert abs(mc["ratio"]["mean"] - sheet["extended"]["ratio"]) < 6 * mc["ratio"]["std"]


def test_same_seed_same_sheet(host_lines):
    first = balance_sheet(host_lines, Decimal(5000), Decimal(10000), draws=500, seed=3)
    again = balance_sheet(host_lines, Decimal(5000), Decimal(10000), draws=500, seed=3)
    assert json.dumps(first) == json.dumps(again)


def test_in_kind_accounts(sheet):
    cvn = sheet["cvn"]
    assert [(e["account_86"], e["account_87"], e["amount"]) for e in cvn["entries"]] == [
        ("864", "875", "1442.40"),
        ("8611", "871", "12000.00"),
    ]
    assert cvn["class_86"] == cvn["class_87"] == "13442.40"
    assert cvn["result_unchanged"] is True


def test_sensitivity_is_named_by_line(host_lines, sheet):
    assert {bar["key"] for bar in sheet["tornado"]} == {"nights", "space", "help"}
    assert all("ratio_low" in bar and "ratio_high" in bar for bar in sheet["tornado"])
    parameters = {(e["key"], e["parameter"]) for e in sheet["switching_values"]}
    assert ("space", "proxy") in parameters and ("help", "proxy") in parameters
    assert not any(p == "drop_off" for _, p in parameters)
    assert not any(k in ("press", "market_revenue") for k, _ in parameters)


def test_switching_values_bring_the_ratio_to_one(host_lines, sheet):
    imap = build_map(host_lines, Decimal(5000), Decimal(10000), draws=10, seed=1)
    assert float(project(imap)["sroi"]) == sheet["extended"]["ratio"]  # one engine
    index = {line.key: i for i, line in enumerate(host_lines)}
    checked = 0
    for entry in sheet["switching_values"]:
        if entry["value"] is None:
            continue
        override = {(index[entry["key"]], entry["parameter"]): Decimal(str(entry["value"]))}
        assert abs(sroi_with(imap, override) - 1) < Decimal("1e-8")
        checked += 1
    assert checked >= 4  # space: proxy and three fractions; help: its proxy (upwards)


def test_zero_costs_leave_the_ratio_undefined():
    sheet = balance_sheet([line("nights", 3, Range.exact(180))], Decimal(0), Decimal(0), draws=50)
    assert sheet["extended"]["ratio"] is None
    assert sheet["extended"]["note"] == "costs: total is zero — the ratio is undefined"
    assert sheet["monte_carlo"]["ratio"] is None and sheet["monte_carlo"]["p_ratio_above_1"] is None
    assert sheet["tornado"] == []
    json.dumps(sheet, allow_nan=False)


def test_declared_amounts_are_money_already():
    declared = line("gifts", "250.50", Range(0, 1, 1), unit="EUR")
    sheet = balance_sheet([declared], Decimal(0), Decimal(100), draws=20)
    (entry,) = sheet["tiers"]["non_market"]["benefits"]["lines"]
    assert entry["explanation"] == "250.5 EUR × 1 × (1 − 0) × (1 − 0) × (1 − 0) = 250.50 EUR"


def test_bad_lines_are_named():
    with pytest.raises(ValuationError, match=r"^lines\[1\]\.deadweight\.high: must be a fraction"):
        balance_sheet(
            [line("a", 1, Range.exact(1)), line("b", 1, Range.exact(1), Range(0, 0, 2))], 0, 1
        )
    with pytest.raises(ValuationError, match=r"^lines\[0\]\.quantity: must be ≥ 0"):
        balance_sheet([line("a", -1, Range.exact(1))], 0, 1)
    with pytest.raises(ValuationError, match="^market_costs: must be ≥ 0"):
        balance_sheet([], Decimal(0), Decimal(-1))
    with pytest.raises(ValuationError, match="^market_revenue: must be ≥ 0"):
        balance_sheet([], Decimal(-1), Decimal(1))


# Property tests ---------------------------------------------------------------------

money_st = st.decimals(min_value=0, max_value=100000, places=2)
fraction_st = st.decimals(min_value=0, max_value=1, places=2)


@st.composite
def ranges(draw, values):
    low, central, high = sorted(draw(values) for _ in range(3))
    return Range(low, central, high)


@st.composite
def balance_lines(draw, index):
    return BalanceLine(
        key=f"line{index}",
        label=f"Line {index}",
        unit="unit",
        quantity=draw(st.decimals(min_value=0, max_value=1000, places=1)),
        proxy=draw(ranges(st.decimals(min_value=0, max_value=500, places=2))),
        deadweight=draw(ranges(fraction_st)),
        displacement=draw(ranges(fraction_st)),
        attribution=draw(ranges(fraction_st)),
        headline=draw(st.booleans()),
        direction=draw(st.sampled_from(["benefit", "benefit", "cost"])),
    )


sheets = st.tuples(
    st.integers(min_value=0, max_value=6).flatmap(
        lambda n: st.tuples(*(balance_lines(i) for i in range(n)))
    ),
    money_st,
    money_st,
)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _by_hand(lines, revenue, costs):
    benefits, total_costs = revenue, costs
    for item in lines:
        if not item.headline:
            continue
        value = item.quantity * item.proxy.central
        for name in ("deadweight", "displacement", "attribution"):
            value *= 1 - getattr(item, name).central
        if item.direction == "benefit":
            benefits += value
        else:
            total_costs += value
    return benefits, total_costs


@settings(max_examples=60, deadline=None)
@given(sheets)
def test_extended_ratio_is_benefits_over_costs(case):
    lines, revenue, costs = case
    sheet = balance_sheet(list(lines), revenue, costs, draws=20, seed=1)
    benefits, total_costs = _by_hand(lines, revenue, costs)
    extended = sheet["extended"]
    assert Decimal(extended["benefits"]) == _cents(benefits)
    assert Decimal(extended["costs"]) == _cents(total_costs)
    if total_costs == 0:
        assert extended["ratio"] is None and "undefined" in extended["note"]
    else:
        assert extended["ratio"] == pytest.approx(float(benefits / total_costs), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(sheets)
def test_envelope_brackets_the_central_figures(case):
    lines, revenue, costs = case
    sheet = balance_sheet(list(lines), revenue, costs, draws=20, seed=1)
    low, high = sheet["envelope"]["pessimistic"], sheet["envelope"]["optimistic"]
    central = sheet["extended"]
    assert Decimal(low["net"]) <= Decimal(central["net"]) <= Decimal(high["net"])
    if central["ratio"] is not None and low["ratio"] is not None and high["ratio"] is not None:
        assert low["ratio"] <= central["ratio"] * (1 + 1e-12)
        assert central["ratio"] <= high["ratio"] * (1 + 1e-12)
    for entry in sheet["tiers"]["non_market"]["benefits"]["lines"]:
        value = entry["value"]
        assert Decimal(value["low"]) <= Decimal(value["central"]) <= Decimal(value["high"])


def test_a_cost_in_kind_that_can_vanish():
    """With no market costs, a cost line's deadweight of 1 leaves no costs at all: the
    ratio is unbounded at that end, and the switching value is still found."""
    lines = [
        line("nights", 3, Range.exact(144)),
        line("help", 40, Range.exact(30), Range(0, "0.1", 1), direction="cost"),
    ]
    sheet = balance_sheet(lines, Decimal(0), Decimal(0), draws=200, seed=2)
    # 432 / (1,200 × 0.9)
    assert sheet["extended"]["ratio"] == pytest.approx(0.4)
    (bar,) = sheet["tornado"]
    assert bar["ratio_high"] is None and bar["swing"] is None and "zero" in bar["note"]
    help_line = {e["parameter"]: e for e in sheet["switching_values"] if e["key"] == "help"}
    # 1,200 × (1 − 0.64) = 432, the benefits.
    assert help_line["deadweight"]["value"] == pytest.approx(0.64, abs=1e-9)
    proxy = help_line["proxy"]
    assert proxy["value"] is None and "stays below 1" in proxy["note"]
    json.dumps(sheet, allow_nan=False)


def test_a_cost_proxy_switches_upwards():
    lines = [
        line("nights", 10, Range.exact(100)),
        line("help", 10, Range(5, 10, 20), direction="cost"),
    ]
    sheet = balance_sheet(lines, Decimal(0), Decimal(500), draws=10)
    entry = next(e for e in sheet["switching_values"] if e["key"] == "help")
    # 1,000 = 500 + 10 × proxy  →  proxy = 50, above its central 10.
    assert entry["value"] == pytest.approx(50, abs=1e-9)

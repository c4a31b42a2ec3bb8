"""Tornado and switching values on a map with several uncertain outcomes."""

from decimal import Decimal

import pytest

from tribu.valuation import (
    ImpactMap,
    Input,
    Outcome,
    Range,
    project,
    sroi_with,
    switching_values,
    tornado,
)


@pytest.fixture
def two_outcomes() -> ImpactMap:
    zero = Range.exact(0)
    big = Outcome(
        "Desks", "host", 10, Range(400, 500, 700), Range("0.1", "0.2", "0.4"),
        zero, Range(0, "0.1", "0.2"), zero,
    )  # fmt: skip
    small = Outcome(
        "Coffee", "host", 100, Range(1, 2, 3), zero, zero, zero, Range(0, "0.2", "0.5"),
        duration_years=3,
    )  # fmt: skip
    press = Outcome(
        "Press", "host", 1, Range(0, 1000, 9000), zero, zero, zero, zero, headline=False
    )
    return ImpactMap(
        name="two", discount_rate=Decimal("0.035"), inputs=(Input("rent", 2000),),
        outcomes=(big, small, press),
    )  # fmt: skip


def test_tornado_is_sorted_by_swing(two_outcomes):
    bars = tornado(two_outcomes)
    swings = [bar["swing"] for bar in bars]
    assert swings == sorted(swings, reverse=True)
    assert (bars[0]["outcome"], bars[0]["parameter"]) == ("Desks", "proxy")


def test_tornado_moves_one_parameter_at_a_time(two_outcomes):
    for bar in tornado(two_outcomes):
        key = (bar["index"], bar["parameter"])
        assert bar["sroi_low"] == sroi_with(two_outcomes, {key: bar["low"]})
        assert bar["sroi_high"] == sroi_with(two_outcomes, {key: bar["high"]})
        # Compared with a margin: this test runs in the default 28-digit context.
        assert abs(bar["swing"] - abs(bar["sroi_high"] - bar["sroi_low"])) < Decimal("1e-20")


def test_tornado_leaves_out_exact_values_and_off_headline_outcomes(two_outcomes):
    names = {(bar["outcome"], bar["parameter"]) for bar in tornado(two_outcomes)}
    assert names == {
        ("Desks", "proxy"),
        ("Desks", "deadweight"),
        ("Desks", "attribution"),
        ("Coffee", "proxy"),
        ("Coffee", "drop_off"),
    }


def test_switching_values_bring_the_ratio_to_one(two_outcomes):
    found = 0
    for entry in switching_values(two_outcomes):
        if entry["value"] is None:
            assert "stays" in entry["note"]
            continue
        found += 1
        ratio = sroi_with(two_outcomes, {(entry["index"], entry["parameter"]): entry["value"]})
        assert abs(ratio - 1) < Decimal("1e-8")
    assert found >= 3


def test_switching_value_of_a_proxy_stays_between_zero_and_central(two_outcomes):
    for entry in switching_values(two_outcomes):
        if entry["parameter"] == "proxy" and entry["value"] is not None:
            assert 0 <= entry["value"] <= entry["central"]


def test_a_ratio_below_one_rises_to_one_when_a_fraction_drops(two_outcomes):
    import dataclasses

    costly = dataclasses.replace(two_outcomes, inputs=(Input("rent", 4800),))
    assert project(costly)["sroi"] < 1
    entry = next(
        e
        for e in switching_values(costly)
        if (e["outcome"], e["parameter"]) == ("Desks", "deadweight")
    )
    assert entry["value"] is not None and entry["value"] < Decimal("0.2")
    proxy = next(
        e for e in switching_values(costly) if (e["outcome"], e["parameter"]) == ("Desks", "proxy")
    )
    assert proxy["value"] is None and "stays below 1" in proxy["note"]

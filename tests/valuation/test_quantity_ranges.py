"""Quantity ranges: drawn in the Monte Carlo, at their ends in the envelope and the
tornado, per year when the years differ."""

from decimal import Decimal

import pytest

from tribu.valuation import evaluate, parse_impact_map
from tribu.valuation.errors import ValuationError
from tribu.valuation.montecarlo import simulate
from tribu.valuation.projection import project


def _map(quantity, **outcome) -> dict:
    return {
        "name": "Desks",
        "discount_rate": 0,
        "inputs": [{"label": "Rent", "amount": 1000}],
        "outcomes": [
            {
                "label": "Desks",
                "quantity": quantity,
                "proxy": 100,
                "deadweight": 0,
                "displacement": 0,
                "attribution": 0,
                **outcome,
            }
        ],
        "simulation": {"draws": 2000, "seed": 7},
    }


RANGED = {"low": 5, "central": 10, "high": 20}


def test_a_quantity_range_alone_makes_a_monte_carlo_interval():
    imap = parse_impact_map(_map(RANGED))
    mc = simulate(imap)
    # Triangular(5, 10, 20) × 100 / 1000: ratio between 0.5 and 2, mean 35/3 / 10.
    assert 0.5 <= mc["sroi"]["p5"] < mc["sroi"]["p50"] < mc["sroi"]["p95"] <= 2.0
    assert mc["sroi"]["p95"] - mc["sroi"]["p5"] > 0.5
    assert mc["sroi"]["mean"] == pytest.approx(35 / 30, rel=0.02)
    exact = simulate(parse_impact_map(_map(10)))
    assert exact["sroi"]["p5"] == exact["sroi"]["p95"] == 1.0


def test_the_seed_makes_the_draws_reproducible():
    imap = parse_impact_map(_map(RANGED))
    assert simulate(imap) == simulate(imap)
    assert simulate(imap, seed=8)["sroi"] != simulate(imap)["sroi"]


def test_the_envelope_puts_the_quantity_at_its_ends():
    imap = parse_impact_map(_map(RANGED))
    # By hand: 5 × 100 and 20 × 100, no discount; inputs 1,000.
    assert project(imap, "pessimistic")["present_value"] == Decimal(500)
    assert project(imap, "optimistic")["present_value"] == Decimal(2000)
    assert project(imap, "central")["present_value"] == Decimal(1000)
    cost = parse_impact_map(_map(RANGED, direction="cost"))
    # A cost in kind is worst at its high end.
    assert project(cost, "pessimistic")["inputs"] == Decimal(3000)


def test_the_tornado_has_a_quantity_bar():
    result = evaluate(parse_impact_map(_map(RANGED)))
    (bar,) = result["tornado"]
    assert bar["parameter"] == "quantity"
    assert (bar["sroi_low"], bar["sroi_high"]) == (0.5, 2.0)
    assert bar["swing"] == 1.5


def test_yearly_quantity_ranges_by_hand():
    years = [RANGED, {"low": 10, "central": 30, "high": 40}, 10]
    imap = parse_impact_map(_map(years))
    assert imap.outcomes[0].yearly_quantities == (10, 30, 10)
    assert project(imap)["impact_by_year"] == [1000, 3000, 1000]
    assert project(imap, "pessimistic")["impact_by_year"] == [500, 1000, 1000]
    assert project(imap, "optimistic")["impact_by_year"] == [2000, 4000, 1000]
    mc = simulate(imap)
    assert mc["sroi"]["p5"] < 5.0 < mc["sroi"]["p95"]
    assert mc == simulate(imap)


@pytest.mark.parametrize(
    ("quantity", "path"),
    [
        ({"low": 12, "central": 10, "high": 20}, "outcomes[0].quantity"),
        ({"low": -1, "central": 10, "high": 20}, "outcomes[0].quantity.low"),
        ([10, {"low": 5, "central": 10}], "outcomes[0].quantity[1].high"),
    ],
)
def test_bad_quantity_ranges_name_the_field(quantity, path):
    with pytest.raises(ValuationError) as error:
        parse_impact_map(_map(quantity))
    assert error.value.path == path

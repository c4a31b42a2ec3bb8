"""Properties of the impact-map engine over generated maps."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tribu.valuation import ImpactMap, Input, Outcome, Range, project, simulate

fractions = st.decimals(min_value=0, max_value=1, places=3)


@st.composite
def ranges(draw, values):
    low, central, high = sorted(draw(values) for _ in range(3))
    return Range(low, central, high)


@st.composite
def outcomes(draw):
    return Outcome(
        label="o",
        stakeholder="s",
        quantity=draw(st.decimals(min_value=0, max_value=100, places=1)),
        proxy=draw(ranges(st.decimals(min_value=0, max_value=1000, places=2))),
        deadweight=draw(ranges(fractions)),
        displacement=draw(ranges(fractions)),
        attribution=draw(ranges(fractions)),
        drop_off=draw(ranges(fractions)),
        duration_years=draw(st.integers(min_value=1, max_value=6)),
        market=draw(st.booleans()),
    )


maps = st.builds(
    lambda items, amount, rate, year: ImpactMap(
        name="generated",
        discount_rate=rate,
        inputs=(Input("in", amount, year),),
        outcomes=tuple(items),
    ),
    st.lists(outcomes(), min_size=1, max_size=4),
    st.decimals(min_value=1, max_value=100000, places=2),
    st.decimals(min_value=0, max_value=Decimal("0.1"), places=3),
    st.integers(min_value=0, max_value=3),
)


@settings(max_examples=80, deadline=None)
@given(maps)
def test_pessimistic_central_optimistic_are_ordered(imap):
    low, central, high = (project(imap, s) for s in ("pessimistic", "central", "optimistic"))
    assert low["present_value"] <= central["present_value"] <= high["present_value"]
    assert low["sroi"] <= central["sroi"] <= high["sroi"]
    # The engine works with 34 digits, this test in the default 28: compare with a margin.
    npv = central["present_value"] - central["inputs"]
    assert abs(central["npv"] - npv) <= Decimal("1e-20") * (1 + abs(npv))


@settings(max_examples=30, deadline=None)
@given(maps)
def test_monte_carlo_stays_inside_the_envelope(imap):
    mc = simulate(imap, draws=200, seed=9)
    low, high = project(imap, "pessimistic")["sroi"], project(imap, "optimistic")["sroi"]
    margin = 1e-9 * (1 + float(high))
    assert float(low) - margin <= mc["sroi"]["p5"] <= mc["sroi"]["p50"]
    assert mc["sroi"]["p50"] <= mc["sroi"]["p95"] <= float(high) + margin

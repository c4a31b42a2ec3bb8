"""Monte Carlo: the symmetric case against its exact distribution, reproducibility,
and vectorisation over draws.

Tolerances are 4 standard errors of each statistic, from its known sampling law:
- mean: the engine's own standard_error (std / sqrt(n));
- a quantile q_p: sqrt(p (1 − p) / n) / f(q_p), f the density at the quantile
  (asymptotic law of the sample quantile);
- P(ratio > 1): the binomial sqrt(p (1 − p) / n);
- standard deviation: σ sqrt((κ − 1) / (4 n)), κ the kurtosis (2.4 for a symmetric
  triangular distribution).
"""

import math

import numpy as np
import pytest

from tribu.valuation import (
    ImpactMap,
    Input,
    Outcome,
    Range,
    montecarlo,
    parse_impact_map,
    project,
    simulate,
    simulate_arrays,
)

from .conftest import load_case

SQRT_TENTH = math.sqrt(0.1)


def _density(x: float) -> float:
    """Density of the triangular distribution on [0, 2] with mode 1."""
    return x if x <= 1 else 2 - x


def _quantile_tolerance(p: float, quantile: float, n: int) -> float:
    return 4 * math.sqrt(p * (1 - p) / n) / _density(quantile)


@pytest.fixture(scope="module")
def symmetric_mc():
    imap = parse_impact_map(load_case("sroi-symmetric.json"))
    return imap, simulate(imap)


def test_symmetric_mean(symmetric_mc):
    _, mc = symmetric_mc
    assert mc["draws"] == 100000 and mc["seed"] == 2026
    assert abs(mc["sroi"]["mean"] - 1) <= 4 * mc["standard_error"]


def test_symmetric_standard_error_is_std_over_sqrt_draws(symmetric_mc):
    _, mc = symmetric_mc
    assert mc["standard_error"] == pytest.approx(mc["sroi"]["std"] / math.sqrt(mc["draws"]))


@pytest.mark.parametrize(
    ("key", "p", "exact"),
    [("p5", 0.05, SQRT_TENTH), ("p50", 0.5, 1.0), ("p95", 0.95, 2 - SQRT_TENTH)],
)
def test_symmetric_quantiles(symmetric_mc, key, p, exact):
    _, mc = symmetric_mc
    assert exact == pytest.approx({"p5": 0.316228, "p50": 1, "p95": 1.683772}[key], abs=1e-6)
    assert abs(mc["sroi"][key] - exact) <= _quantile_tolerance(p, exact, mc["draws"])


def test_symmetric_probability_above_one(symmetric_mc):
    _, mc = symmetric_mc
    assert abs(mc["p_sroi_above_1"] - 0.5) <= 4 * math.sqrt(0.25 / mc["draws"])


def test_symmetric_standard_deviation(symmetric_mc):
    _, mc = symmetric_mc
    sigma = math.sqrt(1 / 6)
    assert sigma == pytest.approx(0.408248, abs=1e-6)
    tolerance = 4 * sigma * math.sqrt((2.4 - 1) / (4 * mc["draws"]))
    assert abs(mc["sroi"]["std"] - sigma) <= tolerance


def test_symmetric_pv_and_npv(symmetric_mc):
    imap, mc = symmetric_mc
    # PV = 100 × ratio and the inputs are 100: npv = PV − 100.
    assert abs(mc["pv_mean"] - 100) <= 4 * 100 * mc["standard_error"]
    assert mc["npv"]["mean"] == pytest.approx(mc["pv_mean"] - 100)
    assert mc["npv"]["p5"] < mc["npv"]["p50"] < mc["npv"]["p95"]


def test_without_uncertainty_every_draw_is_the_central_value(basic):
    mc = simulate(basic, draws=500, seed=3)
    central = float(project(basic)["sroi"])
    for key in ("mean", "p5", "p50", "p95"):
        assert mc["sroi"][key] == pytest.approx(central, rel=1e-12)
    assert mc["p_sroi_above_1"] == 1.0


def test_same_seed_gives_bit_identical_results(symmetric):
    first, second = simulate_arrays(symmetric, 5000, 7), simulate_arrays(symmetric, 5000, 7)
    for key in ("present_value", "inputs", "npv", "sroi"):
        assert first[key].tobytes() == second[key].tobytes()
    assert simulate(symmetric, 5000, 7) == simulate(symmetric, 5000, 7)


def test_different_seed_differs(symmetric):
    first, second = simulate_arrays(symmetric, 5000, 7), simulate_arrays(symmetric, 5000, 8)
    assert not np.array_equal(first["sroi"], second["sroi"])


def test_map_seed_and_draws_are_the_defaults(symmetric):
    mc = simulate(symmetric)
    assert (mc["draws"], mc["seed"]) == (symmetric.draws, symmetric.seed)
    assert len(simulate_arrays(symmetric)["sroi"]) == symmetric.draws


def _ranged_outcome(i: int) -> Outcome:
    return Outcome(
        label=f"Outcome {i}",
        stakeholder="s",
        quantity=i + 1,
        proxy=Range(50, 100, 150 + i),
        deadweight=Range("0.1", "0.2", "0.3"),
        displacement=Range(0, "0.1", "0.2"),
        attribution=Range("0.1", "0.15", "0.4"),
        drop_off=Range(0, "0.1", "0.5"),
        duration_years=1 + i % 4,
    )


class _SpyGenerator:
    """Wraps a NumPy Generator and records every call made to it."""

    def __init__(self, generator: np.random.Generator) -> None:
        self.generator = generator
        self.calls: list[tuple[str, tuple, dict]] = []

    def __getattr__(self, name):
        method = getattr(self.generator, name)

        def record(*args, **kwargs):
            self.calls.append((name, args, kwargs))
            return method(*args, **kwargs)

        return record


@pytest.fixture
def spies(monkeypatch) -> list[_SpyGenerator]:
    """Every generator the engine creates, wrapped in a spy."""
    created: list[_SpyGenerator] = []

    def spy_rng(seed):
        created.append(_SpyGenerator(np.random.default_rng(seed)))
        return created[-1]

    monkeypatch.setattr(montecarlo, "default_rng", spy_rng)
    return created


def test_draws_are_vectorised(spies):
    """100,000 draws over 20 outcomes: the generator is called once per ranged
    parameter with size=draws — 100 calls, not 100,000 × 100."""
    imap = ImpactMap(
        name="twenty",
        inputs=(Input("cost", 1000),),
        outcomes=tuple(_ranged_outcome(i) for i in range(20)),
    )
    arrays = simulate_arrays(imap, draws=100_000, seed=5)
    (spy,) = spies
    assert len(spy.calls) == 20 * 5
    assert {name for name, _, _ in spy.calls} == {"triangular"}
    assert all(kwargs.get("size") == 100_000 for _, _, kwargs in spy.calls)
    assert arrays["sroi"].shape == (100_000,)


def test_draw_order_is_outcome_then_parameter(spies):
    outcomes = (_ranged_outcome(0), _ranged_outcome(1))
    simulate_arrays(ImpactMap(name="two", inputs=(Input("c", 1),), outcomes=outcomes), 10, 1)
    lows = [args[0] for _, args, _ in spies[0].calls]
    # proxy, deadweight, displacement, attribution, drop_off; then the next outcome.
    assert lows == [50.0, 0.1, 0.0, 0.1, 0.0] * 2


def test_exact_values_are_constants_and_take_no_draw():
    exact = Range.exact("0.2")
    values = montecarlo._draw(np.random.default_rng(0), exact, 4)
    assert values.tolist() == [0.2] * 4
    rng = np.random.default_rng(0)
    montecarlo._draw(rng, exact, 4)
    assert rng.random() == np.random.default_rng(0).random()


def test_a_range_with_the_mode_at_one_end_is_drawn():
    values = montecarlo._draw(np.random.default_rng(0), Range(0, 0, 1), 1000)
    assert values.min() >= 0 and values.max() <= 1 and values.std() > 0


def test_zero_inputs_give_no_ratio_and_no_infinity(basic):
    import dataclasses

    free = dataclasses.replace(basic, inputs=())
    mc = simulate(free, draws=100, seed=1)
    assert mc["sroi"] is None and mc["p_sroi_above_1"] is None and mc["standard_error"] is None
    assert "undefined" in mc["note"]
    assert mc["pv_mean"] == pytest.approx(30443.0016, rel=1e-6)

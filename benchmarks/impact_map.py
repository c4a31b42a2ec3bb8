"""The costliest call `POST /api/reports/impact-map` accepts, next to its floor.

The worst case is the map that comes closest to both of the endpoint's work limits at
once (Monte Carlo draws × years of outcomes, and uncertain assumptions × (years of
outcomes + inputs) for the sensitivity analysis), with the most inputs the schema takes.
It goes through the whole request (token, parsing, limits, evaluation, JSON) in process.
The floor is the bare Monte Carlo arithmetic of the same map in NumPy, the same draws in
the same order: what any evaluation of it must at least compute. A refused call at the
limits the API had before the work bound (50 outcomes × 50 years, 100,000 draws) is timed
too: refusing must cost next to nothing.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.test import Client, override_settings

from tribu.reports.api import MAX_DRAWN_YEARS, MAX_INPUTS, MAX_SENSITIVITY

PATH = "/api/reports/impact-map"
RATE = 0.035
SEED = 2026
PARAMETERS = ("proxy", "deadweight", "displacement", "attribution", "drop_off")
# 30 outcomes of 25 years, each with 5 ranged assumptions: 150 × (750 + 200) = 142,500
# sensitivity steps; 750 years × 66,666 draws = 49,999,500 drawn years.
WORST_OUTCOMES, WORST_YEARS = 30, 25


def _ranged(central: float) -> dict:
    return {"low": central * 0.5, "central": central, "high": min(central * 1.5, 1e6)}


def impact_map(outcomes: int, years: int, draws: int, inputs: int = MAX_INPUTS) -> dict:
    return {
        "name": "Worst case",
        "inputs": [{"label": f"Input {i}", "amount": 1000, "year": i % 3} for i in range(inputs)],
        "outcomes": [
            {
                "label": f"Outcome {k}",
                "quantity": 10 + k,
                "proxy": _ranged(100.0),
                "deadweight": _ranged(0.2),
                "displacement": _ranged(0.1),
                "attribution": _ranged(0.2),
                "drop_off": _ranged(0.1),
                "duration_years": years,
            }
            for k in range(outcomes)
        ],
        "discount_rate": RATE,
        "simulation": {"draws": draws, "seed": SEED},
    }


def worst_map() -> dict:
    draws = MAX_DRAWN_YEARS // (WORST_OUTCOMES * WORST_YEARS)
    return impact_map(WORST_OUTCOMES, WORST_YEARS, draws)


def old_worst_map() -> dict:
    return impact_map(50, 50, 100_000)


def work(body: dict) -> tuple[int, int]:
    """(draws × years of outcomes, assumptions × (years + inputs)) of a map body."""
    years = sum(o["duration_years"] for o in body["outcomes"])
    ranged = 5 * len(body["outcomes"])
    return body["simulation"]["draws"] * years, ranged * (years + len(body["inputs"]))


def floor_present_value(body: dict) -> np.ndarray:
    """Present value per draw in plain NumPy: triangular draws in the engine's order."""
    draws = body["simulation"]["draws"]
    rng = np.random.default_rng(body["simulation"]["seed"])
    total = np.zeros(draws)
    for outcome in body["outcomes"]:
        p = [
            rng.triangular(r["low"], r["central"], r["high"], size=draws)
            for r in (outcome[name] for name in PARAMETERS)
        ]
        proxy, deadweight, displacement, attribution, drop_off = p
        t = np.arange(1, outcome["duration_years"] + 1)
        kept = (1 - drop_off)[:, None] ** (t - 1) / (1 + RATE) ** t
        factor = kept.sum(axis=1)
        total += (
            outcome["quantity"]
            * proxy
            * (1 - deadweight)
            * (1 - displacement)
            * (1 - attribution)
            * factor
        )
    return total


@dataclass
class Timing:
    label: str
    status: int
    seconds: float
    cpu: float


def _timed(function: Callable[[], int], repetitions: int) -> tuple[int, float, float]:
    status = function()  # warm-up
    wall, cpu = [], []
    for _ in range(repetitions):
        started, started_cpu = time.perf_counter(), time.process_time()
        status = function()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return status, statistics.median(wall), statistics.median(cpu)


def _client() -> Client:
    from django.contrib.auth import get_user_model

    from tribu.api.tokens import issue_token

    user, _ = get_user_model().objects.get_or_create(username="bench-impact-map")
    return Client(headers={"authorization": f"Bearer {issue_token(user.username)}"})


def measure(repetitions: int = 3) -> list[Timing]:
    client = _client()

    def call(body: dict) -> Callable[[], int]:
        # secure: production settings redirect plain HTTP.
        return lambda: (
            client.post(PATH, body, content_type="application/json", secure=True).status_code
        )

    def floor() -> int:
        floor_present_value(worst_map())
        return 200

    timings = []
    with override_settings(TRIBU_IMPACT_MAP_PER_MINUTE=10**9):
        for label, function in (
            ("worst accepted call", call(worst_map())),
            ("floor: its bare Monte Carlo", floor),
            ("old worst case, refused", call(old_worst_map())),
        ):
            timings.append(Timing(label, *_timed(function, repetitions)))
    return timings


def table(timings: list[Timing]) -> str:
    drawn, sensitivity = work(worst_map())
    floor = timings[1].cpu
    header = f"{'impact-map call':<32} {'status':>6} {'wall ms':>9} {'CPU ms':>9} {'ratio':>7}"
    rows = [
        f"impact map, worst accepted: {drawn:,} drawn years (limit {MAX_DRAWN_YEARS:,}), "
        f"{sensitivity:,} sensitivity steps (limit {MAX_SENSITIVITY:,})",
        header,
        "-" * len(header),
    ]
    for t in timings:
        rows.append(
            f"{t.label:<32} {t.status:>6} {t.seconds * 1e3:>9.1f} {t.cpu * 1e3:>9.1f} "
            f"{t.cpu / floor:>7.2f}"
        )
    rows.append("ratio: CPU time / the floor's (the bare Monte Carlo of the worst map)")
    return "\n".join(rows)


def problems(timings: list[Timing]) -> list[str]:
    wrong = []
    if timings[0].status != 200:
        wrong.append(f"the worst accepted map was answered {timings[0].status}, not 200")
    if timings[2].status != 400:
        wrong.append(f"the old worst case was answered {timings[2].status}, not 400")
    return wrong

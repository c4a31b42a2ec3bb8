"""Timings of one host report, next to the raw-SQL floor, on the same database.

Every figure is the median of several repetitions after one warm-up run; Tribu and the
floor alternate, so that both see the same state of the caches.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache

from tribu.agents.models import Agent
from tribu.platforms.models import Platform
from tribu.reports.aggregates import Period
from tribu.reports.balance import agent_balance, build_lines
from tribu.valuation import simulate
from tribu.valuation.balance import build_map

from .floor import differences, floor_figures, floor_rows, tribu_figures

DRAWS = 10_000
SEED = 2026

# A calendar year (whole months only), a ragged period (two partial months at its ends),
# and both years with ragged ends.
PERIODS = (
    ("year 2025", Period(date(2025, 1, 1), date(2026, 1, 1))),
    ("2026-01-15 → 2026-11-20", Period(date(2026, 1, 15), date(2026, 11, 20))),
    ("2025-02-10 → 2026-12-24", Period(date(2025, 2, 10), date(2026, 12, 24))),
)


@dataclass
class Case:
    label: str
    platform: Platform
    host: Agent
    period: Period
    events: int = 0
    tribu: float = 0.0
    floor: float = 0.0
    full_report: float = 0.0  # computed: the shared cache emptied before each run
    full_cached: float = 0.0  # the same call answered from the shared cache
    monte_carlo: float = 0.0
    lines: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.tribu / self.floor

    @property
    def equal(self) -> bool:
        return not self.problems


def median_seconds(
    function: Callable[[], object], repetitions: int, before: Callable[[], object] | None = None
) -> float:
    """The median time of `function`; `before` runs ahead of each call, outside the timing."""
    function()  # warm-up: connection, statement caches, pages in memory
    times = []
    for _ in range(repetitions):
        if before is not None:
            before()
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def alternating_medians(first: Callable, second: Callable, repetitions: int) -> tuple:
    first()
    second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repetitions):
        for function, bucket in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            function()
            bucket.append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def cases_for(platforms: list[Platform]) -> list[Case]:
    cases = []
    for platform in platforms:
        host = Agent.objects.get(pk=platform.host_id)
        for label, period in PERIODS:
            cases.append(Case(f"{platform.slug}, {label}", platform, host, period))
    return cases


def check(case: Case) -> None:
    """Tribu's sums equal the floor's, line by line, and so do revenue and costs."""
    tribu = tribu_figures(case.platform.pk, case.host.pk, case.period)
    floor = floor_figures(case.platform.pk, case.host.pk, case.period)
    case.problems = differences(tribu, floor)
    case.events = sum(figures[3] for figures in floor.values())
    lines, revenue, costs = build_lines(case.platform, case.host, case.period, "fr")
    case.lines = len(lines)
    market = {
        spec for spec, market in case.platform.specifications.values_list("pk", "market") if market
    }
    for side, total in (("receiver", revenue), ("provider", costs)):
        expected = sum(f[1] for (s, spec), f in floor.items() if s == side and spec in market)
        if total != expected:
            case.problems.append(f"{side} market money: Tribu {total} ≠ floor {expected}")


def measure(case: Case, repetitions: int, full_repetitions: int) -> Case:
    check(case)
    platform, host, period = case.platform, case.host, case.period
    case.tribu, case.floor = alternating_medians(
        lambda: build_lines(platform, host, period, "fr"),
        lambda: floor_rows(platform.pk, host.pk, period),
        repetitions,
    )

    def full() -> object:
        return agent_balance(platform, host, period, draws=DRAWS, seed=SEED)

    # Pages share a balance sheet through the cache; the report's own cost is without it.
    case.full_report = median_seconds(full, full_repetitions, before=cache.clear)
    case.full_cached = median_seconds(full, full_repetitions)
    lines, revenue, costs = build_lines(platform, host, period, "fr")
    imap = build_map(lines, revenue, costs, DRAWS, SEED, platform.currency)
    case.monte_carlo = median_seconds(lambda: simulate(imap, DRAWS, SEED), repetitions)
    return case


def table(cases: list[Case]) -> str:
    header = (
        f"{'host report':<40} {'events':>8} {'Tribu ms':>9} {'floor ms':>9} "
        f"{'ratio':>6} {'sums':>6} {'full ms':>9} {'cached':>7} {'MC ms':>7}"
    )
    rows = [header, "-" * len(header)]
    for c in cases:
        rows.append(
            f"{c.label:<40} {c.events:>8,} {c.tribu * 1e3:>9.2f} {c.floor * 1e3:>9.2f} "
            f"{c.ratio:>6.2f} {'equal' if c.equal else 'DIFFER':>6} "
            f"{c.full_report * 1e3:>9.1f} {c.full_cached * 1e3:>7.1f} {c.monte_carlo * 1e3:>7.1f}"
        )
    ratios = [c.ratio for c in cases]
    rows.append("-" * len(header))
    rows.append(
        f"ratio Tribu / floor: median {statistics.median(ratios):.2f}, "
        f"worst {max(ratios):.2f}, best {min(ratios):.2f} "
        f"(< 1: Tribu is faster than the floor)"
    )
    return "\n".join(rows)

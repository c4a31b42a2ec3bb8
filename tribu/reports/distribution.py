"""The raw Monte Carlo draws of an agent's ratio, for the histogram.

The balance sheet gives statistics only; the histogram needs the draws. They come from
the same lines, the same ImpactMap and the same seed, so they match its statistics.
"""

import numpy as np
from django.conf import settings

from tribu.agents.models import Agent
from tribu.platforms.models import Platform
from tribu.valuation.balance import build_map
from tribu.valuation.montecarlo import simulate_arrays

from .aggregates import Period
from .balance import build_lines


def ratio_draws(
    platform: Platform,
    agent: Agent,
    period: Period,
    *,
    language: str = "fr",
    draws: int | None = None,
    seed: int | None = None,
) -> np.ndarray | None:
    """The ratio in each draw, or None when the costs are zero in some draw."""
    lines, revenue, costs = build_lines(platform, agent, period, language)
    draws = draws or settings.TRIBU_REPORT_DRAWS
    seed = settings.TRIBU_REPORT_SEED if seed is None else seed
    imap = build_map(lines, revenue, costs, draws, seed, platform.currency)
    return simulate_arrays(imap)["sroi"]

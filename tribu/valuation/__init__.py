"""Tribu's valuation engine: pure Python and NumPy, no Django.

It values impact maps (SROI projection, Monte Carlo, sensitivity, switching values,
French in-kind accounts) and the host's extended balance sheet with one set of formulas.
"""

from .balance import BalanceLine, balance_sheet, balance_sheet_and_draws
from .cvn import cvn
from .errors import ValuationError
from .model import ImpactMap, Input, Outcome, Range
from .montecarlo import simulate, simulate_arrays
from .parse import parse_impact_map
from .projection import project, sroi_with
from .report import evaluate
from .sensitivity import switching_values, tornado

__all__ = [
    "BalanceLine",
    "ImpactMap",
    "Input",
    "Outcome",
    "Range",
    "ValuationError",
    "balance_sheet",
    "balance_sheet_and_draws",
    "cvn",
    "evaluate",
    "parse_impact_map",
    "project",
    "simulate",
    "simulate_arrays",
    "sroi_with",
    "switching_values",
    "tornado",
]

"""The observatory's answer: per cause category and per carrier profile, how many
platform-years, the median ratio, the share likely to pay off, and a pooled ratio with a
bootstrap interval over platforms — under INSEE's frequency and dominance rules.

One query reads the narrow columns of the live documents; NumPy does the rest.
"""

from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, Q

from .models import Document

CACHE_SECONDS = 3600

MIN_PLATFORMS = 3  # frequency rule
MAX_WEIGHT = 0.85  # dominance rule: no platform above 85 % of a total
RESAMPLES = 1000
SEED = 2026
COLUMNS = ("platform_ref", "cause_category", "carrier_profile", "ratio", "p_above_1")
TOTALS = ("benefits", "costs")


@dataclass
class Group:
    key: str
    years: int
    platforms: int
    hidden: str = ""  # "frequency" or "dominance" when the rules hide the group
    median_ratio: float | None = None
    share_likely: float | None = None  # share of platform-years with P(ratio > 1) > ½
    pooled: float | None = None
    low: float | None = None
    high: float | None = None


@dataclass
class Answer:
    illustrative: bool
    years: int = 0
    platforms: int = 0
    instances: int = 0
    overall: Group | None = None
    by_cause: list[Group] = field(default_factory=list)
    by_carrier: list[Group] = field(default_factory=list)
    ratios: np.ndarray = field(default_factory=lambda: np.zeros(0))


def dataset() -> bool:
    """True for the illustrative set: real documents, as soon as there is one, answer alone."""
    live = Document.objects.filter(withdrawn_at=None)
    return not live.filter(illustrative=False).exists() and live.exists()


def live_documents(illustrative: bool):
    return Document.objects.filter(withdrawn_at=None, illustrative=illustrative)


def _columns(illustrative: bool) -> dict[str, np.ndarray]:
    rows = list(live_documents(illustrative).values_list(*COLUMNS, *TOTALS, "issuer"))
    if not rows:
        return {}
    refs, causes, carriers, ratios, likely, benefits, costs, issuers = zip(*rows, strict=True)
    return {
        "ref": np.array(refs),
        "cause": np.array(causes),
        "carrier": np.array(carriers),
        "ratio": np.array([np.nan if r is None else r for r in ratios], dtype=float),
        "p": np.array([np.nan if p is None else p for p in likely], dtype=float),
        "benefits": np.array(benefits, dtype=float),
        "costs": np.array(costs, dtype=float),
        "issuer": np.array(issuers),
    }


def hidden_by_rules(platform_totals: list[np.ndarray]) -> str:
    """'frequency', 'dominance' or '' for a group whose per-platform totals are given."""
    if len(platform_totals[0]) < MIN_PLATFORMS:
        return "frequency"
    for totals in platform_totals:
        whole = totals.sum()
        if whole > 0 and totals.max() / whole > MAX_WEIGHT:
            return "dominance"
    return ""


def bootstrap(benefits: np.ndarray, costs: np.ndarray) -> tuple[float, float]:
    """95 % interval of Σ benefits ÷ Σ costs, resampling platforms with replacement."""
    rng = np.random.default_rng(SEED)
    picks = rng.integers(0, len(benefits), size=(RESAMPLES, len(benefits)), dtype=np.int32)
    num, den = benefits[picks].sum(axis=1), costs[picks].sum(axis=1)
    pooled = np.divide(num, den, out=np.full(RESAMPLES, np.nan), where=den > 0)
    low, high = np.nanpercentile(pooled, [2.5, 97.5])
    return float(low), float(high)


def group(key: str, cols: dict[str, np.ndarray], mask: np.ndarray) -> Group:
    refs, inverse = np.unique(cols["ref"][mask], return_inverse=True)
    benefits = np.bincount(inverse, weights=cols["benefits"][mask], minlength=len(refs))
    costs = np.bincount(inverse, weights=cols["costs"][mask], minlength=len(refs))
    result = Group(key, int(mask.sum()), len(refs))
    result.hidden = hidden_by_rules([benefits, costs])
    if result.hidden:
        return result
    ratios, likely = cols["ratio"][mask], cols["p"][mask]
    if np.any(~np.isnan(ratios)):
        result.median_ratio = float(np.nanmedian(ratios))
    if np.any(~np.isnan(likely)):
        known = likely[~np.isnan(likely)]
        result.share_likely = float(np.mean(known > 0.5))
    if costs.sum() > 0:
        result.pooled = float(benefits.sum() / costs.sum())
        result.low, result.high = bootstrap(benefits, costs)
    return result


def by(cols: dict[str, np.ndarray], column: str) -> list[Group]:
    keys = np.unique(cols[column])
    return [group(str(key), cols, cols[column] == key) for key in keys]


def answer(illustrative: bool | None = None) -> Answer:
    """Everything the observatory page shows, for one set of documents."""
    illustrative = dataset() if illustrative is None else illustrative
    cols = _columns(illustrative)
    result = Answer(illustrative)
    if not cols:
        return result
    everything = np.ones(len(cols["ref"]), dtype=bool)
    result.years = len(cols["ref"])
    result.platforms = len(np.unique(cols["ref"]))
    result.instances = len(np.unique(cols["issuer"]))
    result.overall = group("", cols, everything)
    result.by_cause = by(cols, "cause")
    result.by_carrier = by(cols, "carrier")
    if not result.overall.hidden:
        result.ratios = cols["ratio"][~np.isnan(cols["ratio"])]
    return result


def cached_answer(illustrative: bool | None = None) -> Answer:
    """The page's answer, computed again only when a document arrives or is withdrawn."""
    illustrative = dataset() if illustrative is None else illustrative
    stamp = Document.objects.aggregate(
        last=Max("id"),
        at=Max("received_at"),
        rows=Count("id"),
        gone=Count("id", filter=Q(withdrawn_at__isnull=False)),
    )
    key = "tribu-observatory:" + ":".join(
        str(part) for part in (illustrative, *stamp.values())
    ).replace(" ", "_")
    found = cache.get(key)
    if found is None:
        found = answer(illustrative)
        cache.set(key, found, CACHE_SECONDS)
    return found

"""The extended balance sheet of one agent: ledger aggregates in, valuation engine out.

This module only gathers: which quantities the agent received and gave, at which prices.
Every formula lives in `tribu.valuation`, which the impact-map evaluation uses too.
"""

import functools
import hashlib
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import TribuError
from tribu.ledger.catalogue import current_values, current_version
from tribu.ledger.models import (
    CatalogueVersion,
    EventStatusChange,
    ResourceSpecification,
    SpecificationValues,
)
from tribu.platforms.models import Platform
from tribu.valuation import BalanceLine, Range, balance_sheet_and_draws

from .aggregates import Period, Sums, sums_for
from .payoff import market_items, payoff

ONE = Decimal(1)


def default_period(today: date | None = None) -> Period:
    """The last twelve whole months and this month up to today included (the end is
    excluded, so it is tomorrow): a flow confirmed today is in the balance sheet."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    return Period(first.replace(year=first.year - 1), today + timedelta(days=1))


def parse_period(start: str | None, end: str | None) -> Period:
    default = default_period()
    try:
        period = Period(
            date.fromisoformat(start) if start else default.start,
            date.fromisoformat(end) if end else default.end,
        )
    except ValueError as exc:
        raise TribuError(
            _("period: invalid date (%(e)s); expected YYYY-MM-DD") % {"e": exc}
        ) from exc
    if period.start >= period.end:
        raise TribuError(
            _("period: the start (%(a)s) must come before the end (%(b)s)")
            % {"a": period.start, "b": period.end}
        )
    return period


def _range(values: SpecificationValues, name: str) -> Range:
    return Range(*(getattr(values, f"{name}_{level}") for level in ("low", "central", "high")))


def _proxy(values: SpecificationValues) -> tuple[Range, bool]:
    """(proxy, declared). Declared lines value their declared amounts: the proxy is then a
    multiplier of 1, with a low of 0 where the catalogue says the value may not come."""
    central = values.proxy_central
    if central is not None:
        # A catalogue may give a central price alone, or leave one end open: the missing
        # end is then the central value (no uncertainty claimed on that side).
        low = central if values.proxy_low is None else values.proxy_low
        high = central if values.proxy_high is None else values.proxy_high
        return Range(low, central, high), False
    low = values.proxy_low if values.proxy_low is not None else ONE
    return Range(min(low, ONE), ONE, max(values.proxy_high or ONE, ONE)), True


def balance_line(spec, values, sums: Sums, direction: str, language: str) -> BalanceLine:
    """One valued line: what the sums of a specification are worth, with its assumptions."""
    proxy, declared = _proxy(values)
    return BalanceLine(
        key=spec.slug,
        label=spec.name(language),
        unit=settings_currency(spec) if declared else spec.unit,
        quantity=sums.declared if declared else sums.quantity,
        proxy=proxy,
        deadweight=_range(values, "deadweight"),
        displacement=_range(values, "displacement"),
        attribution=_range(values, "attribution"),
        market=False,
        headline=spec.headline,
        cvn_account=spec.cvn_account or None,
        direction=direction,
        event_count=sums.events,
    )


def settings_currency(spec: ResourceSpecification) -> str:
    return spec.platform.currency


def build_lines(platform: Platform, agent: Agent, period: Period, language: str):
    lines, revenue, costs, _sources = _gather(platform, agent, period, language)
    return lines, revenue, costs


def _gather(platform: Platform, agent: Agent, period: Period, language: str):
    """The valued lines, the market revenue and costs, and each line's proxy source."""
    specs = {
        s.pk: s
        for s in ResourceSpecification.objects.filter(platform=platform).select_related("platform")
    }
    values = current_values(platform.pk)
    received = sums_for(platform.pk, agent.pk, "receiver", period)
    given = sums_for(platform.pk, agent.pk, "provider", period)
    revenue = sum((s.money for k, s in received.items() if specs[k].market), Decimal(0))
    costs = sum((s.money for k, s in given.items() if specs[k].market), Decimal(0))
    lines = [
        balance_line(specs[k], values[k], s, "benefit", language)
        for k, s in sorted(received.items(), key=lambda kv: specs[kv[0]].slug)
        if not specs[k].market
    ]
    if platform.count_inkind_costs:
        lines += [
            balance_line(specs[k], values[k], s, "cost", language)
            for k, s in sorted(given.items(), key=lambda kv: specs[kv[0]].slug)
            if not specs[k].market
        ]
    sources = {specs[k].slug: _source(row) for k, row in values.items() if k in specs}
    return lines, revenue, costs, sources


def _source(values: SpecificationValues) -> str:
    dated = f" ({values.proxy_date.isoformat()})" if values.proxy_date else ""
    return values.proxy_source + dated


def agent_balance(
    platform: Platform,
    agent: Agent,
    period: Period | None = None,
    *,
    language: str = "fr",
    draws: int | None = None,
    seed: int | None = None,
) -> dict:
    """The extended balance sheet of `agent` in `platform` over `period`, JSON-ready."""
    sheet, _ratios = agent_balance_and_draws(
        platform, agent, period, language=language, draws=draws, seed=seed
    )
    return sheet


def agent_balance_and_draws(
    platform: Platform,
    agent: Agent,
    period: Period | None = None,
    *,
    language: str = "fr",
    draws: int | None = None,
    seed: int | None = None,
) -> tuple[dict, np.ndarray | None]:
    """The balance sheet and the ratio in each of its Monte Carlo draws (for a histogram),
    from one simulation. Every door (pages, API, command, Cause page) asks here, with the
    same default draws and seed, so the same period gives the same figures everywhere.

    The simulation runs once per state of the ledger and catalogue: its result is kept in the
    cache every worker shares, under a key that a new event status or catalogue version
    changes."""
    if agent.platform_id != platform.pk:
        raise TribuError(_("no agent “%(slug)s” in this platform") % {"slug": agent.slug})
    period = period or default_period()
    draws = draws or settings.TRIBU_REPORT_DRAWS
    seed = settings.TRIBU_REPORT_SEED if seed is None else seed
    key = balance_cache_key(platform, agent, period, draws, seed, language)
    cached = cache.get(key)
    if cached is None:
        cached = _compute_balance(platform, agent, period, language, draws, seed)
        cache.set(key, cached, BALANCE_CACHE_SECONDS)
    return cached


BALANCE_CACHE_SECONDS = 3600


def ledger_stamp(platform: Platform) -> tuple:
    """Changes whenever an event is recorded, confirmed, disputed or corrected, or the
    catalogue gets a new version: each of those writes a new row. Both read in one
    statement, off the ends of their (platform, …) indexes: every cached page asks it."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [platform.pk, platform.pk])
        return tuple(cursor.fetchone())


@functools.cache
def _stamp_sql() -> str:
    versions = CatalogueVersion._meta.db_table
    return (
        f"SELECT {newest_change_sql('%s')}, "  # noqa: S608 - our tables
        f"(SELECT MAX(number) FROM {versions} WHERE platform_id = %s)"
    )


def newest_change_sql(platform: str) -> str:
    """The subquery for a platform's newest status change, the ledger's part of every
    cache key (`platform`: an SQL expression giving the platform's id)."""
    changes = EventStatusChange._meta.db_table
    return f"(SELECT MAX(id) FROM {changes} WHERE platform_id = {platform})"  # noqa: S608


def balance_cache_key(
    platform: Platform, agent: Agent, period: Period, draws: int, seed: int, language: str
) -> str:
    """What a balance sheet depends on: the ledger's and catalogue's state, the question asked,
    and the platform's settings and the agent's name that the sheet shows."""
    parts = (
        "tribu-balance",
        platform.pk,
        agent.pk,
        period.start,
        period.end,
        draws,
        seed,
        language,
        get_language(),
        *ledger_stamp(platform),
        platform.currency,
        platform.count_inkind_costs,
        platform.is_demo,
        agent.name,
    )
    raw = ":".join(str(part) for part in parts)
    # Names may hold any character: a digest keeps the key within every backend's rules.
    return "tribu-balance:" + hashlib.sha256(raw.encode()).hexdigest()


def _compute_balance(
    platform: Platform, agent: Agent, period: Period, language: str, draws: int, seed: int
) -> tuple[dict, np.ndarray | None]:
    lines, revenue, costs, sources = _gather(platform, agent, period, language)
    result, ratios = balance_sheet_and_draws(
        lines, revenue, costs, draws=draws, seed=seed, currency=platform.currency
    )
    _add_sources(result, sources)
    # The market tier line by line, and what would make it pay off.
    market = market_items(platform, agent, period, language)
    result["tiers"]["market"]["lines"] = market
    result["break_even"] = payoff(result, lines, market)
    version = current_version(platform.pk)
    result["context"] = {
        "platform": platform.slug,
        "agent": agent.slug,
        "agent_name": agent.name,
        "currency": platform.currency,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "catalogue_version": version.number if version else None,
        "illustrative": platform.is_demo,
        "basis": _("confirmed, uncorrected events"),
    }
    return result, ratios


def _add_sources(result: dict, sources: dict[str, str]) -> None:
    """Each line names where its proxy comes from (the catalogue values in force)."""
    for group in ("benefits", "costs", "off_headline"):
        for line in result["tiers"]["non_market"][group]["lines"]:
            line["source"] = sources.get(line["key"], "")

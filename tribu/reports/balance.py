"""The extended balance sheet of one agent: ledger aggregates in, valuation engine out.

This module only gathers: which quantities the agent received and gave, at which prices.
Every formula lives in `tribu.valuation`, which the impact-map evaluation uses too.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import TribuError
from tribu.ledger.catalogue import current_values, current_version
from tribu.ledger.models import ResourceSpecification, SpecificationValues
from tribu.platforms.models import Platform
from tribu.valuation import BalanceLine, Range, balance_sheet

from .aggregates import Period, Sums, sums_for

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
    return lines, revenue, costs


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
    if agent.platform_id != platform.pk:
        raise TribuError(_("no agent “%(slug)s” in this platform") % {"slug": agent.slug})
    period = period or default_period()
    lines, revenue, costs = build_lines(platform, agent, period, language)
    draws = draws or settings.TRIBU_REPORT_DRAWS
    seed = settings.TRIBU_REPORT_SEED if seed is None else seed
    result = balance_sheet(
        lines, revenue, costs, draws=draws, seed=seed, currency=platform.currency
    )
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
    return result

"""The headline figures of a Cause page: value created, and the host's ratio with its interval.

Readable by anyone, so they hold totals only, never a person's flows.
"""

from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Sum

from tribu.ledger.catalogue import current_values, current_version
from tribu.ledger.models import EconomicEvent, ResourceSpecification
from tribu.platforms.models import Platform

from .aggregates import Period, Sums
from .balance import agent_balance, default_period, ledger_stamp
from .valuing import value_sums

HEADLINE_CACHE_SECONDS = 3600


def value_created(platform: Platform, period: Period) -> Decimal:
    """Central value of every counted non-market flow of the headline, whoever received it."""
    rows = (
        EconomicEvent.objects.filter(
            platform=platform,
            state__counted=True,
            occurred_on__gte=period.start,
            occurred_on__lt=period.end,
            resource_conforms_to__market=False,
            resource_conforms_to__headline=True,
        )
        .values("resource_conforms_to_id")
        .annotate(q=Sum("resource_quantity"), d=Sum("declared_value"), n=Count("id"))
        .order_by()
    )
    specs = {
        s.pk: s
        for s in ResourceSpecification.objects.filter(platform=platform).select_related("platform")
    }
    values = current_values(platform.pk)
    total = Decimal(0)
    for row in rows:
        spec = specs[row["resource_conforms_to_id"]]
        sums = Sums(row["q"] or Decimal(0), Decimal(0), row["d"] or Decimal(0), row["n"])
        total += value_sums(spec, values.get(spec.pk), sums, platform.currency).value
    return total.quantize(Decimal("0.01"))


def platform_headline(platform: Platform, language: str = "fr") -> dict:
    """Cached until the ledger or the catalogue changes (or the period does): the Cause page is
    public, and its Monte Carlo should not run once per visitor."""
    key = ":".join(
        str(part)
        for part in (
            "tribu-headline",
            platform.pk,
            language,
            *ledger_stamp(platform),
            default_period().end,
            # What else the figures depend on: whose ratio, in which currency, counted how.
            platform.host_id,
            platform.currency,
            platform.count_inkind_costs,
        )
    )
    figures = cache.get(key)
    if figures is None:
        figures = compute_headline(platform, language)
        cache.set(key, figures, HEADLINE_CACHE_SECONDS)
    return figures


def compute_headline(platform: Platform, language: str = "fr") -> dict:
    period = default_period()
    version = current_version(platform.pk)
    figures = {
        "period": period,
        "value_created": value_created(platform, period),
        "currency": platform.currency,
        "ratio": None,
        "catalogue_version": version.number if version else None,
    }
    if platform.host is not None:
        # The balance page's draws and seed: the same period gives the same interval there.
        sheet = agent_balance(platform, platform.host, period, language=language)
        figures["ratio"] = sheet["extended"]["ratio"]
        figures["interval"] = sheet["monte_carlo"]["ratio"] or {}
        figures["p_above_1"] = sheet["monte_carlo"]["p_ratio_above_1"]
    return figures

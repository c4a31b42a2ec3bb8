"""Who gave what to whom: counted flows summed by agent pair and kind of value.

One GROUP BY over the counted events of the period; each group is valued centrally
with the catalogue in force, like the balance sheet's lines.
"""

from decimal import Decimal

from django.db.models import Count, Sum

from tribu.agents.models import Agent
from tribu.ledger.catalogue import current_values
from tribu.ledger.models import EconomicEvent, ResourceSpecification
from tribu.platforms.models import Platform

from .aggregates import Period, Sums
from .valuing import value_sums


def flow_groups(platform: Platform, period: Period):
    return (
        EconomicEvent.objects.filter(
            platform=platform,
            state__counted=True,
            occurred_on__gte=period.start,
            occurred_on__lt=period.end,
        )
        .values("provider_id", "receiver_id", "resource_conforms_to_id")
        .annotate(
            q=Sum("resource_quantity"),
            m=Sum("money_amount"),
            d=Sum("declared_value"),
            n=Count("id"),
        )
        .order_by("provider_id", "receiver_id", "resource_conforms_to_id")
    )


def flow_map(platform: Platform, period: Period, language: str = "fr") -> dict:
    """Nodes (agents) and links (provider → receiver, one per kind), valued centrally.

    Links carry `value` (Decimal, in the platform's currency), `events` and `market`.
    """
    groups = list(flow_groups(platform, period))
    agent_ids = {g["provider_id"] for g in groups} | {g["receiver_id"] for g in groups}
    agents = {a.pk: a for a in Agent.objects.filter(platform=platform, pk__in=agent_ids)}
    specs = {
        s.pk: s
        for s in ResourceSpecification.objects.filter(platform=platform).select_related("platform")
    }
    values = current_values(platform.pk)
    links = []
    for g in groups:
        spec = specs[g["resource_conforms_to_id"]]
        sums = Sums(g["q"] or Decimal(0), g["m"] or Decimal(0), g["d"] or Decimal(0), g["n"])
        valued = value_sums(spec, values.get(spec.pk), sums, platform.currency, language)
        links.append(
            {
                "source": g["provider_id"],
                "target": g["receiver_id"],
                "kind": spec.name(language),
                "source_name": agents[g["provider_id"]].name,
                "target_name": agents[g["receiver_id"]].name,
                "spec": spec.slug,
                "value": valued.value,
                "events": g["n"],
                "market": valued.market,
                "explanation": valued.text,
                "readable": valued.readable,
            }
        )
    nodes = [
        {"id": pk, "name": agents[pk].name, "slug": agents[pk].slug}
        for pk in sorted(agent_ids, key=lambda pk: agents[pk].name)
    ]
    return {"nodes": nodes, "links": links, "currency": platform.currency}

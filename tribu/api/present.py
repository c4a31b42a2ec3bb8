"""Models to the dicts the API returns; every object here was fetched through an access
helper, so presenting it leaks nothing the caller may not see."""

from dataclasses import dataclass, field

from django.utils.translation import get_language

from tribu.agents.models import Agent
from tribu.ledger.catalogue import RANGED, current_values
from tribu.ledger.declared import declared_ids
from tribu.ledger.models import EconomicEvent, SpecificationValues
from tribu.ledger.services import counterparty_of
from tribu.platforms.access import role_in
from tribu.platforms.models import Platform
from tribu.reports.valuing import value_event
from tribu.valuation.cvn import money

from .schemas import PlatformOut

PLATFORM_FIELDS = [n for n in PlatformOut.model_fields if n not in {"place", "host", "my_role"}]


def ref(agent: Agent | None) -> dict | None:
    return None if agent is None else {"slug": agent.slug, "name": agent.name}


def platform_out(platform: Platform, user) -> dict:
    return {
        **{name: getattr(platform, name) for name in PLATFORM_FIELDS},
        "place": ref(platform.place),
        "host": ref(platform.host),
        "my_role": role_in(user, platform),
    }


def agent_out(agent: Agent, role: str | None) -> dict:
    return {
        "slug": agent.slug,
        "name": agent.name,
        "kind": agent.kind,
        "is_public": agent.is_public,
        "bio": agent.bio,
        "role": role,
    }


def specification_out(values: SpecificationValues, language: str) -> dict:
    spec = values.specification
    ranges = {
        name: {level: getattr(values, f"{name}_{level}") for level in ("low", "central", "high")}
        for name in RANGED
    }
    return {
        "slug": spec.slug,
        "name": spec.name(language),
        "unit": spec.unit,
        "market": spec.market,
        "headline": spec.headline,
        "cvn_account": spec.cvn_account,
        "declared": values.is_declared,
        **ranges,
        "source": values.proxy_source,
        "source_date": values.proxy_date,
        "version": values.version.number,
    }


def version_out(version) -> dict:
    return {
        "number": version.number,
        "note": version.note,
        "created_by": ref(version.created_by),
        "created_at": version.created_at,
    }


@dataclass(frozen=True)
class LedgerContext:
    """What valuing a page of events needs, read once per request."""

    language: str
    currency: str
    values: dict[int, SpecificationValues]
    declared: set[int] = field(default_factory=set)


def ledger_context(platform: Platform) -> LedgerContext:
    return LedgerContext(
        get_language() or "fr",
        platform.currency,
        current_values(platform.pk),
        declared_ids(platform),
    )


def value_out(event: EconomicEvent, ctx: LedgerContext) -> dict:
    """How the event's value is reached, with the same formula as the balance sheet."""
    valued = value_event(event, ctx.values, ctx.currency, ctx.language)
    return {
        "central": money(valued.value),
        "explanation": valued.text,
        "source": valued.source,
        "market": valued.market,
    }


def event_out(event: EconomicEvent, ctx: LedgerContext) -> dict:
    language = ctx.language
    state = event.state
    spec = event.resource_conforms_to
    return {
        "id": event.pk,
        "action": event.action,
        "provider": ref(event.provider),
        "receiver": ref(event.receiver),
        "specification": spec.slug,
        "specification_name": spec.name(language),
        "quantity": event.resource_quantity,
        "unit": event.unit,
        "effort_quantity": event.effort_quantity,
        "occurred_on": event.occurred_on,
        "has_point_in_time": event.has_point_in_time,
        "has_beginning": event.has_beginning,
        "has_end": event.has_end,
        "note": event.note,
        "evidence": event.evidence,
        "money_amount": event.money_amount,
        "currency": event.currency,
        "declared_value": event.declared_value,
        "recorded_by": ref(event.recorded_by),
        "recorded_at": event.recorded_at,
        "source": event.source,
        "status": state.status,
        "corrected": state.corrected,
        "counted": state.counted,
        "corrects": event.corrects_id,
        "declared": event.pk in ctx.declared,
        "value": value_out(event, ctx),
    }


def event_detail_out(event: EconomicEvent, ctx: LedgerContext) -> dict:
    history = [
        {"status": c.status, "by": ref(c.by), "reason": c.reason, "at": c.at}
        for c in event.changes.select_related("by").order_by("at", "id")
    ]
    corrected_by = list(event.corrections.order_by("id").values_list("id", flat=True))
    return {
        **event_out(event, ctx),
        "counterparty": ref(counterparty_of(event)),
        "history": history,
        "corrected_by": corrected_by,
    }

"""The export: everything the import needs to rebuild a platform, in a stable order."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from tribu.agents.models import Agent
from tribu.ledger.models import (
    EconomicEvent,
    EconomicResource,
    EventState,
    EventStatusChange,
    ResourceSpecification,
    SpecificationValues,
)
from tribu.platforms.models import MembershipChange, Platform
from tribu.platforms.services import (
    PLATFORM_FIELDS,
)

from . import sealing
from .backup import export_backup
from .formats import FORMAT, FORMAT_VERSION, VALUE_FIELDS
from .valueflows import to_valueflows


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def export_platform(platform: Platform) -> dict:
    """Everything the import needs to rebuild `platform`, in a stable order, with the head
    of the chain over its histories (see `sealing`)."""
    data = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "platform": _export_settings(platform),
        "agents": _export_agents(platform),
        "catalogue": {"versions": _export_catalogue(platform)},
        "resources": _export_resources(platform),
        "events": _export_events(platform),
    }
    data[sealing.KEY] = sealing.head(data)
    return data


def dumps(data: dict) -> str:
    """Canonical JSON: sorted keys, two-space indent, UTF-8 text, one final newline."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def export_file(platform: Platform | None, path: Path, format: str = "tribu", **options) -> int:
    """Write the export of `platform` to `path`: Tribu's platform file, ValueFlows JSON-LD
    ("valueflows"), or a complete backup ("backup"; of the whole instance when `platform`
    is None). Returns the number of events written."""
    if format == "backup":
        data = export_backup(None if platform is None else [platform], **options)
        path.write_text(dumps(data), encoding="utf-8")
        return len(data["tables"]["ledger.EconomicEvent"])
    data = export_platform(platform)
    document = to_valueflows(data) if format == "valueflows" else data
    path.write_text(dumps(document), encoding="utf-8")
    return len(data["events"])


def _export_settings(platform: Platform) -> dict:
    settings = {name: getattr(platform, name) for name in sorted(PLATFORM_FIELDS)}
    settings["discount_rate"] = _dec(platform.discount_rate)
    settings["slug"] = platform.slug
    settings["place"] = platform.place.name if platform.place else ""
    settings["host"] = platform.host.slug if platform.host else None
    return settings


def _export_agents(platform: Platform) -> list[dict]:
    agents = list(Agent.objects.filter(platform=platform).order_by("slug"))
    slugs = {a.pk: a.slug for a in agents}
    history: dict[int, list[dict]] = {}
    for change in (
        MembershipChange.objects.filter(platform=platform)
        .select_related("membership")
        .order_by("at", "id")
    ):
        history.setdefault(change.membership.agent_id, []).append(
            {
                "role": change.role,
                "previous_role": change.previous_role,
                "by": slugs.get(change.by_id),
                "reason": change.reason,
            }
        )
    represents: dict[int, list[str]] = {}
    links = Agent.representatives.through.objects.filter(from_agent__platform=platform)
    for organization_id, person_id in links.values_list("from_agent_id", "to_agent_id"):
        represents.setdefault(person_id, []).append(slugs[organization_id])
    return [
        {
            "slug": a.slug,
            "name": a.name,
            "kind": a.kind,
            "is_public": a.is_public,
            "bio": a.bio,
            "role": history[a.pk][-1]["role"] if a.pk in history else None,
            "role_history": history.get(a.pk, []),
            "represents": sorted(represents.get(a.pk, [])),
        }
        for a in agents
    ]


def _export_values(values: SpecificationValues) -> dict:
    fields = {name: _dec(getattr(values, name)) for name in VALUE_FIELDS}
    fields["source"] = values.proxy_source
    fields["source_date"] = _iso(values.proxy_date)
    return fields


def _export_catalogue(platform: Platform) -> list[dict]:
    rows = (
        SpecificationValues.objects.filter(platform=platform)
        .select_related("specification", "version", "version__created_by")
        .order_by("version__number", "specification__slug")
    )
    versions: dict[int, dict] = {}
    introduced: set[int] = set()
    for values in rows:
        version = values.version
        block = versions.setdefault(
            version.number,
            {
                "number": version.number,
                "note": version.note,
                "created_by": version.created_by.slug if version.created_by else None,
                "specifications": [],
                "overrides": {},
            },
        )
        spec = values.specification
        if spec.pk in introduced:
            block["overrides"][spec.slug] = _export_values(values)
            continue
        introduced.add(spec.pk)
        block["specifications"].append(
            {
                "slug": spec.slug,
                "name_fr": spec.name_fr,
                "name_en": spec.name_en,
                "unit": spec.unit,
                "market": spec.market,
                "headline": spec.headline,
                "cvn_account": spec.cvn_account,
                **_export_values(values),
            }
        )
    return [versions[number] for number in sorted(versions)]


def _export_resources(platform: Platform) -> list[dict]:
    return [
        {
            "slug": r.slug,
            "name": r.name,
            "kind": r.kind,
            "spec": r.conforms_to.slug,
            "capacity": r.capacity,
            "beds": r.beds,
            "note": r.note,
        }
        for r in EconomicResource.objects.filter(platform=platform)
        .select_related("conforms_to")
        .order_by("slug")
    ]


def _export_events(platform: Platform) -> list[dict]:
    slugs = dict(Agent.objects.filter(platform=platform).values_list("pk", "slug"))
    specs = dict(ResourceSpecification.objects.filter(platform=platform).values_list("pk", "slug"))
    resources = dict(EconomicResource.objects.filter(platform=platform).values_list("pk", "slug"))
    statuses = dict(EventState.objects.filter(platform=platform).values_list("event_id", "status"))
    history: dict[int, list[dict]] = {}
    for change in (
        EventStatusChange.objects.filter(platform=platform)
        .order_by("event_id", "at", "id")
        .values("event_id", "status", "by_id", "reason", "at")
    ):
        history.setdefault(change["event_id"], []).append(
            {
                "status": change["status"],
                "by": slugs[change["by_id"]],
                "reason": change["reason"],
                "at": _iso(change["at"]),
            }
        )
    events = EconomicEvent.objects.filter(platform=platform).order_by("id").values()
    keys: dict[int, str] = {}
    exported = []
    for e in events:
        keys[e["id"]] = e["import_key"] or f"event-{e['id']}"
        exported.append(_export_event(e, keys, slugs, specs, resources, statuses, history))
    return exported


def _export_event(e, keys, slugs, specs, resources, statuses, history) -> dict:
    begin = e["has_beginning"]
    return {
        "key": keys[e["id"]],
        "action": e["action"],
        "provider": slugs[e["provider_id"]],
        "receiver": slugs[e["receiver_id"]],
        "spec": specs[e["resource_conforms_to_id"]],
        "resource": resources.get(e["resource_inventoried_as_id"]),
        "quantity": _dec(e["resource_quantity"]),
        "unit": e["unit"],
        "effort_quantity": _dec(e["effort_quantity"]),
        "date": None if begin else _iso(e["has_point_in_time"] or e["occurred_on"]),
        "begin": _iso(begin),
        "end": _iso(e["has_end"]),
        "occurred_on": _iso(e["occurred_on"]),
        "note": e["note"],
        "evidence": e["evidence"],
        "money_amount": _dec(e["money_amount"]),
        "currency": e["currency"],
        "declared_value": _dec(e["declared_value"]),
        "recorded_by": slugs[e["recorded_by_id"]],
        "recorded_at": _iso(e["recorded_at"]),
        "corrects": keys.get(e["corrects_id"]) if e["corrects_id"] else None,
        "source": e["source"],
        "status": statuses.get(e["id"]),
        "status_history": history.get(e["id"], []),
    }

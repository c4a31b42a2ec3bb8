"""A platform as ValueFlows 1.0 JSON-LD, and back.

The document is the platform file (`exporting.export_platform`) said in ValueFlows:
agents are `vf:Person` or `vf:Organization`, specifications `vf:ResourceSpecification`,
resources `vf:EconomicResource`, events `vf:EconomicEvent` with their action, provider and
receiver, `vf:resourceQuantity` and `vf:effortQuantity` as `vf:Measure` (units carry their
OM 2 identifier), `vf:hasPointInTime` or `vf:hasBeginning` and `vf:hasEnd`, `vf:corrects`
and `vf:note`. What ValueFlows has no term for (an event's status and its history, its
valuation, evidence, who recorded it and when, the catalogue's values, roles) is written
in Tribu's namespace (`TRIBU`, documented in docs/valueflows.md), never dropped: reading
the document back gives the very platform file it was made from.
"""

import json
from pathlib import Path
from urllib.parse import quote, unquote

from django.utils.translation import gettext as _

from .formats import FileError, Where

VF = "https://w3id.org/valueflows/ont/vf#"
OM2 = "http://www.ontology-of-units-of-measure.org/resource/om-2/"
XSD = "http://www.w3.org/2001/XMLSchema#"
TRIBU = "urn:tribu:ns:"
CONTEXT = {"vf": VF, "om2": OM2, "xsd": XSD, "tribu": TRIBU}
# Units with an OM 2 counterpart; every other unit counts things (OM 2's "one").
OM_UNITS = {"hour": "hour", "day": "day", "month": "month", "EUR": "euro"}
EFFORT_UNIT = "hour"
AGENT_TYPES = {"person": "vf:Person", "organization": "vf:Organization"}


def node_id(platform: str, kind: str, name: str) -> str:
    return f"urn:tribu:{quote(platform, safe='')}:{kind}:{quote(str(name), safe='')}"


def _name_of(identifier: str) -> str:
    return unquote(identifier.rsplit(":", 1)[-1])


def _json(value) -> dict:
    return {"@type": "@json", "@value": value}


def _tribu(item: dict, keys) -> dict:
    """Tribu's own fields, each under its own term (JSON values as JSON literals)."""
    return {
        f"tribu:{key}": _json(item[key]) if isinstance(item[key], (dict, list)) else item[key]
        for key in keys
        if key in item and item[key] is not None
    }


# --- out ----------------------------------------------------------------------------


def to_valueflows(data: dict) -> dict:
    """The JSON-LD document of a platform file."""
    slug = data["platform"]["slug"]
    units: dict[str, dict] = {}
    graph = [
        {
            "@id": node_id(slug, "platform", slug),
            "@type": "tribu:Platform",
            "tribu:format": data["format"],
            "tribu:version": data["version"],
            "tribu:settings": _json(data["platform"]),
            "tribu:catalogue": _json(data["catalogue"]),
        }
    ]
    graph += [_agent(slug, agent) for agent in data["agents"]]
    graph += _specifications(slug, data["catalogue"], units)
    graph += [_resource(slug, resource) for resource in data["resources"]]
    graph += [_event(slug, event, units) for event in data["events"]]
    graph += [units[name] for name in sorted(units)]
    return {"@context": CONTEXT, "@graph": graph}


def _agent(slug: str, agent: dict) -> dict:
    node = {
        "@id": node_id(slug, "agent", agent["slug"]),
        "@type": AGENT_TYPES[agent["kind"]],
        "vf:name": agent["name"],
    }
    if agent.get("bio"):
        node["vf:note"] = agent["bio"]
    return node | _tribu(agent, ("is_public", "role", "role_history", "represents"))


def _unit(name: str, units: dict) -> str:
    identifier = f"urn:tribu:unit:{quote(name, safe='')}"
    units.setdefault(
        name,
        {
            "@id": identifier,
            "@type": "vf:Unit",
            "vf:label": name,
            "vf:omUnitIdentifier": {
                "@value": OM2 + OM_UNITS.get(name, "one"),
                "@type": "xsd:anyURI",
            },
        },
    )
    return identifier


def _specifications(slug: str, catalogue: dict, units: dict) -> list[dict]:
    """Each specification once, as the catalogue's first version introduced it."""
    nodes = []
    for version in catalogue["versions"]:
        for spec in version["specifications"]:
            nodes.append(
                {
                    "@id": node_id(slug, "spec", spec["slug"]),
                    "@type": "vf:ResourceSpecification",
                    "vf:name": {"@value": spec["name_en"], "@language": "en"},
                    "vf:defaultUnitOfResource": {"@id": _unit(spec["unit"], units)},
                }
            )
    return nodes


def _resource(slug: str, resource: dict) -> dict:
    node = {
        "@id": node_id(slug, "resource", resource["slug"]),
        "@type": "vf:EconomicResource",
        "vf:name": resource["name"],
        "vf:conformsTo": {"@id": node_id(slug, "spec", resource["spec"])},
    }
    if resource.get("note"):
        node["vf:note"] = resource["note"]
    return node | _tribu(resource, ("kind", "capacity", "beds"))


def _measure(value: str, unit: str, units: dict) -> dict:
    return {
        "@type": "vf:Measure",
        "vf:hasNumericalValue": {"@value": value, "@type": "xsd:decimal"},
        "vf:hasUnit": {"@id": _unit(unit, units)},
    }


EVENT_TRIBU = (
    "occurred_on",
    "evidence",
    "money_amount",
    "currency",
    "declared_value",
    "recorded_by",
    "recorded_at",
    "source",
    "status",
    "status_history",
)


def _moment(value: str) -> dict:
    return {"@value": value, "@type": "xsd:dateTimeStamp"}


def _event(slug: str, event: dict, units: dict) -> dict:
    node = {
        "@id": node_id(slug, "event", event["key"]),
        "@type": "vf:EconomicEvent",
        "vf:action": {"@id": "vf:" + event["action"]},
        "vf:provider": {"@id": node_id(slug, "agent", event["provider"])},
        "vf:receiver": {"@id": node_id(slug, "agent", event["receiver"])},
        "vf:resourceConformsTo": {"@id": node_id(slug, "spec", event["spec"])},
        "vf:resourceQuantity": _measure(event["quantity"], event["unit"], units),
    }
    if event.get("resource"):
        node["vf:resourceInventoriedAs"] = {"@id": node_id(slug, "resource", event["resource"])}
    if event.get("effort_quantity") is not None:
        node["vf:effortQuantity"] = _measure(event["effort_quantity"], EFFORT_UNIT, units)
    date = event.get("date")
    if date and len(date) > 10:
        node["vf:hasPointInTime"] = _moment(date)
    elif date:
        node["tribu:date"] = {"@value": date, "@type": "xsd:date"}
    for name, term in (("begin", "vf:hasBeginning"), ("end", "vf:hasEnd")):
        if event.get(name):
            node[term] = _moment(event[name])
    if event.get("corrects"):
        node["vf:corrects"] = {"@id": node_id(slug, "event", event["corrects"])}
    if event.get("note"):
        node["vf:note"] = event["note"]
    return node | _tribu(event, EVENT_TRIBU)


# --- in -----------------------------------------------------------------------------


def from_valueflows(document: dict, where: Where) -> dict:
    """The platform file a ValueFlows document of Tribu's says."""
    if not isinstance(document.get("@graph"), list):
        raise where.error(_("expected a JSON-LD document with a “@graph”"))
    by_type: dict[str, list[dict]] = {}
    for node in document["@graph"]:
        by_type.setdefault(node.get("@type"), []).append(node)
    platforms = by_type.get("tribu:Platform", [])
    if len(platforms) != 1:
        raise where.error(_("expected one platform (a “tribu:Platform” node)"))
    platform = platforms[0]
    return {
        "format": platform["tribu:format"],
        "version": platform["tribu:version"],
        "platform": _value(platform["tribu:settings"]),
        "catalogue": _value(platform["tribu:catalogue"]),
        "agents": [
            _agent_back(node) for type_ in AGENT_TYPES.values() for node in by_type.get(type_, [])
        ],
        "resources": [_resource_back(node) for node in by_type.get("vf:EconomicResource", [])],
        "events": [_event_back(node) for node in by_type.get("vf:EconomicEvent", [])],
    }


def _value(term):
    return term["@value"] if isinstance(term, dict) and "@value" in term else term


def _back(node: dict, keys) -> dict:
    return {key: _value(node[f"tribu:{key}"]) for key in keys if f"tribu:{key}" in node}


def _ref(node: dict, term: str) -> str | None:
    return _name_of(node[term]["@id"]) if term in node else None


def _agent_back(node: dict) -> dict:
    kind = {v: k for k, v in AGENT_TYPES.items()}[node["@type"]]
    agent = {"slug": _name_of(node["@id"]), "name": node["vf:name"], "kind": kind}
    agent["bio"] = node.get("vf:note", "")
    agent.update(_back(node, ("is_public", "role", "role_history", "represents")))
    agent.setdefault("role", None)
    return agent


def _resource_back(node: dict) -> dict:
    resource = {
        "slug": _name_of(node["@id"]),
        "name": node["vf:name"],
        "spec": _ref(node, "vf:conformsTo"),
        "note": node.get("vf:note", ""),
    }
    return resource | _back(node, ("kind", "capacity", "beds"))


def _event_back(node: dict) -> dict:
    event = {
        "key": _name_of(node["@id"]),
        "action": node["vf:action"]["@id"].removeprefix("vf:"),
        "provider": _ref(node, "vf:provider"),
        "receiver": _ref(node, "vf:receiver"),
        "spec": _ref(node, "vf:resourceConformsTo"),
        "resource": _ref(node, "vf:resourceInventoriedAs"),
        "quantity": _value(node["vf:resourceQuantity"]["vf:hasNumericalValue"]),
        "effort_quantity": (
            _value(node["vf:effortQuantity"]["vf:hasNumericalValue"])
            if "vf:effortQuantity" in node
            else None
        ),
        "date": _value(node.get("vf:hasPointInTime") or node.get("tribu:date")),
        "begin": _value(node.get("vf:hasBeginning")),
        "end": _value(node.get("vf:hasEnd")),
        "corrects": _ref(node, "vf:corrects"),
        "note": node.get("vf:note", ""),
    }
    return event | _back(node, EVENT_TRIBU)


def load_valueflows(path: Path, text: str) -> dict:
    where = Where(path.name)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Where(path.name, exc.lineno).error(
            _("malformed JSON: %(msg)s (column %(col)s)") % {"msg": exc.msg, "col": exc.colno}
        ) from exc
    if not isinstance(document, dict):
        raise where.error(_("expected a JSON-LD document with a “@graph”"))
    try:
        return from_valueflows(document, where)
    except (KeyError, TypeError, AttributeError) as exc:
        raise FileError(
            _("%(file)s: not a ValueFlows document of Tribu's (%(e)s)")
            % {"file": path.name, "e": exc}
        ) from exc

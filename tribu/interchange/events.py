"""The events of a file, checked in memory by the ledger's own rules before anything is
written.

The rules are the services' (`check_record`, `check_correction`, `check_status_change`):
only their look-ups (roles, who represents whom, how a specification is valued, the keys
already in the ledger, the events a file corrects) are answered from maps loaded once, a
query per kind, instead of a query per event. The result is a plan: the events, their
status histories and final states, in the file's order, ready for `writing`.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import TribuError
from tribu.core.validation import problem
from tribu.ledger.models import (
    EconomicEvent,
    EconomicResource,
    EventState,
    ResourceSpecification,
    SpecificationValues,
    Status,
)
from tribu.ledger.services import (
    Directory,
    Flow,
    check_correction,
    check_not_corrected,
    check_record,
    check_status_change,
    event_fields,
    replaced,
)
from tribu.platforms.models import Membership, Platform

from .checking import _keys, _list, _mapping, _moment, _number, _text, _zone
from .formats import EVENT_KEYS, Where

if TYPE_CHECKING:
    from .importing import Importer

STATUSES = frozenset(Status.values)
LOOKUP_BATCH = 500  # keys per `IN (...)` query: under every engine's parameter limit


@dataclass
class State:
    """An event's state as the rules see it while the file is checked."""

    status: str
    corrected: bool = False
    counted: bool = False
    # A correction of it exists, taken effect or waiting for consent (`has_correction`).
    has_correction: bool = False


class Draft:
    """An event checked but not written yet: its columns (`event_fields`), and what the
    rules ask of an event (its parties, its recorder, its platform, its number)."""

    __slots__ = ("fields", "pk", "platform_id", "provider", "receiver", "recorded_by")

    def __init__(self, key: str, fields: dict):
        self.fields = fields
        # Until it is written an event has no number; messages name it by its key.
        self.pk: int | str = key
        self.platform_id = fields["platform"].pk
        self.provider = fields["provider"]
        self.receiver = fields["receiver"]
        self.recorded_by = fields["recorded_by"]

    @property
    def recorded_by_id(self) -> int:
        return self.recorded_by.pk


@dataclass
class Planned:
    """One new event: its row, its status history (the first entry records it), its state."""

    event: Draft
    key: str
    state: State
    changes: list[tuple[str, Agent, str, datetime]] = field(default_factory=list)
    corrects: "Planned | Stored | None" = None


@dataclass
class Stored:
    """An event already in the ledger that the file corrects."""

    event: EconomicEvent
    state: State


class Known(Directory):
    """The rules' look-ups, answered from maps of one platform loaded once."""

    def __init__(self, platform: Platform):
        self.roles = dict(
            Membership.objects.filter(platform=platform).values_list("agent_id", "role")
        )
        self.representatives: dict[int, set[int]] = {}
        links = Agent.representatives.through.objects.filter(from_agent__platform=platform)
        for organization_id, person_id in links.values_list("from_agent_id", "to_agent_id"):
            self.representatives.setdefault(organization_id, set()).add(person_id)
        newest: dict[int, object] = {}
        for spec_id, central in (
            SpecificationValues.objects.filter(platform=platform)
            .order_by("version__number")
            .values_list("specification_id", "proxy_central")
        ):
            newest[spec_id] = central
        self.declared = {spec_id for spec_id, central in newest.items() if central is None}

    def acts_for(self, actor: Agent, agent: Agent) -> bool:
        return actor.id == agent.id or actor.id in self.representatives.get(agent.id, ())

    def role_of(self, agent: Agent) -> str | None:
        return self.roles.get(agent.id)

    def is_declared(self, spec: ResourceSpecification) -> bool:
        return spec.id in self.declared


class EventPlanner:
    """Checks the events of a file, in order, and plans what to write."""

    def __init__(self, importer: "Importer", platform: Platform):
        self.importer = importer
        self.platform = platform
        self.summary = importer.summary
        self.zone = _zone(platform)
        self.ask = Known(platform)
        self.specs = {s.slug: s for s in ResourceSpecification.objects.filter(platform=platform)}
        self.resources = {r.slug: r for r in EconomicResource.objects.filter(platform=platform)}
        self.known = {
            key or f"event-{pk}": (pk, key, at)
            for pk, key, at in EconomicEvent.objects.filter(platform=platform).values_list(
                "pk", "import_key", "recorded_at"
            )
        }
        self.seen: set[str] = set()
        self.now = timezone.now()
        self.planned: dict[str, Planned] = {}
        self.stored: dict[str, Stored] = {}

    def prepare(self, rows: list[tuple[Where, dict]]) -> None:
        """Load the ledger's events that the file corrects, a batch of keys per query."""
        keys = sorted(
            {str(row["corrects"]) for _where, row in rows if row.get("corrects")} & set(self.known)
        )
        agents = {a.pk: a for a in self.importer.agents.values()}
        ids = {self.known[key][0]: key for key in keys}
        pks = list(ids)
        for start in range(0, len(pks), LOOKUP_BATCH):
            batch = pks[start : start + LOOKUP_BATCH]
            states = EventState.objects.filter(event_id__in=batch).select_related("event")
            corrected = set(
                EconomicEvent.objects.filter(corrects_id__in=batch).values_list(
                    "corrects_id", flat=True
                )
            )
            for state in states:
                event = state.event
                event.provider = agents[event.provider_id]
                event.receiver = agents[event.receiver_id]
                event.recorded_by = agents[event.recorded_by_id]
                self.stored[ids[event.pk]] = Stored(
                    event,
                    State(state.status, state.corrected, state.counted, event.pk in corrected),
                )

    def load(self, row: dict, where: Where) -> None:
        _keys(row, EVENT_KEYS, where)
        key = _text(row, "key", where, required=True)
        if key in self.seen:
            raise where.at("key").error(_("“%(k)s” appears twice in this import") % {"k": key})
        self.seen.add(key)
        if key in self.known:
            self.check_same(key, row, where)
            self.summary.skipped += 1
            return
        history = _list(row.get("status_history"), where.at("status_history"))
        planned = self.record(row, where, history, key)
        self.planned[key] = planned
        if history:
            self.replay(planned, history[1:], where)
        else:
            self.set_status(planned, row, where)

    def settle_corrections(self) -> None:
        """Which corrected flows stop counting, by the services' rule (`replaced`), along
        each chain of corrections from its newest link down to the ledger's own events."""
        corrected_here = {id(p.corrects) for p in self.planned.values() if p.corrects}
        for head in self.planned.values():
            if id(head) in corrected_here:
                continue
            confirmed_above = head.state.status == Status.CONFIRMED
            target = head.corrects
            while target is not None:
                target.state.corrected = replaced(target.state.status, confirmed_above)
                confirmed_above = confirmed_above or target.state.status == Status.CONFIRMED
                target = target.corrects if isinstance(target, Planned) else None

    def check_same(self, key: str, row: dict, where: Where) -> None:
        """A derived key (`event-<id>`, from an export of events recorded without a key)
        matches only the very event it was exported from."""
        pk, import_key, recorded_at = self.known[key]
        stated = _moment(row, "recorded_at", where, self.zone)
        if import_key is None and stated is not None and stated != recorded_at:
            raise where.at("key").error(
                _("“%(k)s” names another event in this database") % {"k": key}
            )

    def record(self, row: dict, where: Where, history: list, key: str) -> Planned:
        """The checks of `correct_event` then `record_event`, in their order."""
        recorder = self.importer.agent(
            _text(row, "recorded_by", where, required=True), where, "recorded_by"
        )
        flow = self.flow(row, where)
        first = history[0] if history else {}
        system = isinstance(first, dict) and first.get("status") == Status.CONFIRMED
        target = self.corrected(row, where)
        try:
            if target is not None:
                check_correction(target.event, recorder, system=system, ask=self.ask)
                check_not_corrected(target.event, target.state.has_correction)
            check_record(self.platform, recorder, flow, system=system, ask=self.ask)
        except TribuError as exc:
            raise where.error(str(exc)) from exc
        event = Draft(key, event_fields(self.platform, recorder, flow, None))
        _check_columns(event.fields, row, where)
        status = Status.CONFIRMED if system else Status.PROPOSED
        planned = Planned(event, key, State(status), corrects=target)
        planned.changes.append((status, recorder, "", event.fields["recorded_at"]))
        if target is not None:
            target.state.has_correction = True
        self.summary.events += 1
        return planned

    def flow(self, row: dict, where: Where) -> Flow:
        provider, receiver = (
            self.importer.agent(_text(row, side, where, required=True), where, side)
            for side in ("provider", "receiver")
        )
        specification = self.spec(_text(row, "spec", where, required=True), where)
        quantity = _number(row, "quantity", where)
        begin = _moment(row, "begin", where, self.zone)
        occurred = begin or _moment(row, "date", where, self.zone, dates=True)
        if occurred is None:
            raise where.at("date").error(_("missing (give date, or begin and end)"))
        return Flow(
            action=_text(row, "action", where) or "use",
            provider=provider,
            receiver=receiver,
            specification=specification,
            quantity=quantity,
            occurred=occurred,
            ends=_moment(row, "end", where, self.zone),
            note=_text(row, "note", where),
            evidence=_text(row, "evidence", where),
            money_amount=_number(row, "money_amount", where),
            declared_value=_number(row, "declared_value", where),
            effort_quantity=_number(row, "effort_quantity", where),
            import_key=_text(row, "key", where),
            source=_text(row, "source", where),
            resource=self.resource(_text(row, "resource", where), where),
            # Events the file does not date are recorded at the moment of the import.
            recorded_at=_moment(row, "recorded_at", where, self.zone) or self.now,
        )

    def spec(self, slug: str, where: Where) -> ResourceSpecification:
        if slug not in self.specs:
            raise where.at("spec").error(
                _("no specification “%(slug)s” in this platform") % {"slug": slug}
            )
        return self.specs[slug]

    def resource(self, slug: str, where: Where) -> EconomicResource | None:
        if not slug:
            return None
        if slug not in self.resources:
            raise where.at("resource").error(
                _("no resource “%(slug)s” in this platform") % {"slug": slug}
            )
        return self.resources[slug]

    def corrected(self, row: dict, where: Where) -> "Planned | Stored | None":
        key = _text(row, "corrects", where)
        if not key:
            return None
        target = self.planned.get(key) or self.stored.get(key)
        if target is None:
            raise where.at("corrects").error(
                _("no event with key “%(k)s” in this platform") % {"k": key}
            )
        return target

    def set_status(self, planned: Planned, row: dict, where: Where) -> None:
        status = _text(row, "status", where) or Status.PROPOSED
        if status == Status.PROPOSED:
            return
        if status not in STATUSES:
            raise where.at("status").error(
                _("unknown status “%(s)s” (expected proposed, confirmed or disputed)")
                % {"s": status}
            )
        name = "confirmed" if status == Status.CONFIRMED else "disputed"
        entry = {
            "status": status,
            "by": _text(row, f"{name}_by", where),
            "at": row.get(f"{name}_at"),
            "reason": row.get("reason"),
        }
        if not entry["by"]:
            question = _("who confirmed it?") if name == "confirmed" else _("who disputed it?")
            raise where.at(f"{name}_by").error(_("missing") + f" ({question})")
        self.change(planned, entry, where.at(f"{name}_by"))

    def replay(self, planned: Planned, entries: list, where: Where) -> None:
        for index, entry in enumerate(entries, 1):
            entry_where = where.at(f"status_history[{index}]", entry)
            _keys(_mapping(entry, entry_where), {"status", "by", "reason", "at"}, entry_where)
            self.change(planned, entry, entry_where)

    def change(self, planned: Planned, entry: dict, where: Where) -> None:
        """The checks of `confirm_event` or `dispute_event`, on the state kept in memory."""
        actor = self.importer.agent(str(entry.get("by") or ""), where)
        at = _moment(entry, "at", where, self.zone)
        status = entry.get("status")
        reason = str(entry.get("reason") or "")
        try:
            if status not in (Status.CONFIRMED, Status.DISPUTED):
                raise TribuError(_("status: an event cannot go back to “%(s)s”") % {"s": status})
            check_status_change(planned.event, actor, status, reason, planned.state, self.ask)
        except TribuError as exc:
            raise where.error(str(exc)) from exc
        kept = reason.strip() if status == Status.DISPUTED else ""
        planned.changes.append((status, actor, kept, at or self.now))
        planned.state.status = status
        self.summary.status_changes += 1


# The file's name for an event's column, where the two differ.
FILE_NAMES = {
    "resource_quantity": "quantity",
    "has_beginning": "begin",
    "has_end": "end",
    "import_key": "key",
    "occurred_on": "date",
}


# The columns `problem` looks at: relations hold rows (agents, a specification…) it passes.
VALUE_COLUMNS = tuple(f for f in EconomicEvent._meta.concrete_fields if not f.is_relation)


def _check_columns(fields: dict, row: dict, where: Where) -> None:
    """Rows written in bulk skip the check every save makes: make it here, by the file's name
    (`first_problem`, the columns it would pass skipped)."""
    for column in VALUE_COLUMNS:
        value = fields.get(column.name)
        why = None if value is None else problem(column, value)
        if why:
            break
    else:
        return
    name = FILE_NAMES.get(column.name, column.name)
    if column.name == "has_point_in_time":
        name = "begin" if row.get("begin") else "date"
    raise where.at(name).error(why)

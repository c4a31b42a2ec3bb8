"""The events of a file, recorded one by one through the ledger services."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tribu.core.errors import TribuError
from tribu.ledger.models import (
    EconomicEvent,
    EconomicResource,
    ResourceSpecification,
    Status,
)
from tribu.ledger.services import (
    Flow,
    confirm_event,
    correct_event,
    dispute_event,
    record_event,
)
from tribu.platforms.models import Platform

from .checking import _keys, _list, _mapping, _moment, _number, _text, _zone
from .formats import EVENT_KEYS, Where

if TYPE_CHECKING:
    from .importing import Importer


class EventLoader:
    """Records the events of a file, one by one, through the ledger services."""

    def __init__(self, importer: "Importer", platform: Platform):
        self.importer = importer
        self.platform = platform
        self.summary = importer.summary
        self.zone = _zone(platform)
        self.specs = {s.slug: s for s in ResourceSpecification.objects.filter(platform=platform)}
        self.resources = {r.slug: r for r in EconomicResource.objects.filter(platform=platform)}
        self.known = {
            key or f"event-{pk}": (pk, key, at)
            for pk, key, at in EconomicEvent.objects.filter(platform=platform).values_list(
                "pk", "import_key", "recorded_at"
            )
        }
        self.seen: set[str] = set()

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
        event = self.record(row, where, history)
        self.known[key] = (event.pk, key, event.recorded_at)
        if history:
            self.replay(event, history[1:], where)
        else:
            self.set_status(event, row, where)

    def check_same(self, key: str, row: dict, where: Where) -> None:
        """A derived key (`event-<id>`, from an export of events recorded without a key)
        matches only the very event it was exported from."""
        pk, import_key, recorded_at = self.known[key]
        stated = _moment(row, "recorded_at", where, self.zone)
        if import_key is None and stated is not None and stated != recorded_at:
            raise where.at("key").error(
                _("“%(k)s” names another event in this database") % {"k": key}
            )

    def record(self, row: dict, where: Where, history: list) -> EconomicEvent:
        recorder = self.importer.agent(
            _text(row, "recorded_by", where, required=True), where.at("recorded_by")
        )
        flow = self.flow(row, where)
        first = history[0] if history else {}
        system = isinstance(first, dict) and first.get("status") == Status.CONFIRMED
        corrects = self.corrected(row, where)
        try:
            if corrects is not None:
                event = correct_event(corrects, recorder, flow, system=system)
            else:
                event, _created = record_event(self.platform, recorder, flow, system=system)
        except TribuError as exc:
            raise where.error(str(exc)) from exc
        self.summary.events += 1
        return event

    def flow(self, row: dict, where: Where) -> Flow:
        provider, receiver = (
            self.importer.agent(_text(row, side, where, required=True), where.at(side))
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
            recorded_at=_moment(row, "recorded_at", where, self.zone),
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

    def corrected(self, row: dict, where: Where) -> EconomicEvent | None:
        key = _text(row, "corrects", where)
        if not key:
            return None
        if key not in self.known:
            raise where.at("corrects").error(
                _("no event with key “%(k)s” in this platform") % {"k": key}
            )
        return EconomicEvent.objects.get(platform=self.platform, pk=self.known[key][0])

    def set_status(self, event: EconomicEvent, row: dict, where: Where) -> None:
        status = _text(row, "status", where) or Status.PROPOSED
        if status == Status.PROPOSED:
            return
        if status not in Status.values:
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
        self.change(event, entry, where.at(f"{name}_by"))

    def replay(self, event: EconomicEvent, entries: list, where: Where) -> None:
        for index, entry in enumerate(entries, 1):
            entry_where = where.at(f"status_history[{index}]", entry)
            _keys(_mapping(entry, entry_where), {"status", "by", "reason", "at"}, entry_where)
            self.change(event, entry, entry_where)

    def change(self, event: EconomicEvent, entry: dict, where: Where) -> None:
        actor = self.importer.agent(str(entry.get("by") or ""), where)
        at = _moment(entry, "at", where, self.zone)
        try:
            if entry.get("status") == Status.CONFIRMED:
                confirm_event(event, actor, at=at)
            elif entry.get("status") == Status.DISPUTED:
                dispute_event(event, actor, str(entry.get("reason") or ""), at=at)
            else:
                raise TribuError(
                    _("status: an event cannot go back to “%(s)s”") % {"s": entry.get("status")}
                )
        except TribuError as exc:
            raise where.error(str(exc)) from exc
        self.summary.status_changes += 1

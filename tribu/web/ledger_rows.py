"""What each ledger row shows: its state, its value explained, and what the reader may do.

The rules of who may confirm or correct are the services'; they are mirrored here only
to decide which buttons to draw (the services still check when a button is used). The
representation links of the platform are read once, so a page costs a few queries.
"""

from dataclasses import dataclass

from tribu.agents.models import Agent
from tribu.ledger.catalogue import current_values
from tribu.ledger.declared import declared_ids
from tribu.ledger.models import EconomicEvent, EventState, Status
from tribu.platforms.models import Platform
from tribu.reports.valuing import Valued, value_event

EDITABLE = {Status.PROPOSED, Status.DISPUTED}


@dataclass
class Row:
    event: EconomicEvent
    state: EventState
    valued: Valued
    source_version: int | None
    can_confirm: bool
    can_dispute: bool
    can_correct: bool
    declared: bool = False

    @property
    def evidence_is_link(self) -> bool:
        return self.event.evidence.lower().startswith(("https://", "http://"))


class RowBuilder:
    def __init__(self, platform: Platform, actor: Agent | None, language: str):
        self.platform, self.actor, self.language = platform, actor, language
        self.values = current_values(platform.pk)
        self.steward = False
        self.declared = declared_ids(platform)
        through = Agent.representatives.through
        self.acts_for_ids: dict[int, set[int]] = {}
        for org_id, person_id in through.objects.filter(from_agent__platform=platform).values_list(
            "from_agent_id", "to_agent_id"
        ):
            self.acts_for_ids.setdefault(person_id, set()).add(org_id)

    def with_steward(self, steward: bool) -> "RowBuilder":
        self.steward = steward
        return self

    def _acts_for(self, person_id: int, agent_id: int) -> bool:
        return person_id == agent_id or agent_id in self.acts_for_ids.get(person_id, set())

    def _counterparty_id(self, event: EconomicEvent) -> int:
        if self._acts_for(event.recorded_by_id, event.receiver_id):
            return event.provider_id
        return event.receiver_id

    def row(self, event: EconomicEvent) -> Row:
        state = event.state
        me = self.actor.pk if self.actor else None
        counterparty = (
            me is not None
            and me != event.recorded_by_id
            and self._acts_for(me, self._counterparty_id(event))
        )
        party = me is not None and (
            me == event.recorded_by_id
            or self._acts_for(me, event.provider_id)
            or self._acts_for(me, event.receiver_id)
        )
        values = self.values.get(event.resource_conforms_to_id)
        return Row(
            event=event,
            state=state,
            valued=value_event(event, self.values, self.platform.currency, self.language),
            source_version=values.version.number if values else None,
            can_confirm=counterparty and not state.corrected and state.status in EDITABLE,
            can_dispute=counterparty
            and not state.corrected
            and state.status in {Status.PROPOSED, Status.CONFIRMED},
            can_correct=not state.corrected and (party or self.steward),
            declared=event.pk in self.declared,
        )

"""What each ledger row shows: its state, its value explained, and what the reader may do.

Which buttons to draw is asked of the ledger services (`may_confirm`, …), the same rules
their writes apply. The representation links of the platform are read once and handed to
them, so a page costs a few queries whatever its length; whether a correction waits for
consent is read from the corrections the page prefetched.
"""

from dataclasses import dataclass

from tribu.agents.models import Agent
from tribu.ledger.catalogue import current_values
from tribu.ledger.declared import declared_ids
from tribu.ledger.models import EconomicEvent, EventState
from tribu.ledger.services import may_confirm, may_correct, may_dispute, representation
from tribu.platforms.models import Platform
from tribu.reports.valuing import Valued, value_event


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
        self.role: str | None = None
        self.declared = declared_ids(platform)
        self.represents = representation(platform.pk)

    def with_role(self, role: str | None) -> "RowBuilder":
        self.role = role
        return self

    @staticmethod
    def _corrected(event: EconomicEvent) -> bool:
        return bool(event.corrections.all())  # prefetched by the ledger page

    def row(self, event: EconomicEvent) -> Row:
        values = self.values.get(event.resource_conforms_to_id)
        actor, represents, asked = self.actor, self.represents, self._corrected
        return Row(
            event=event,
            state=event.state,
            valued=value_event(event, self.values, self.platform.currency, self.language),
            source_version=values.version.number if values else None,
            can_confirm=actor is not None and may_confirm(event, actor, represents, asked),
            can_dispute=actor is not None and may_dispute(event, actor, represents, asked),
            can_correct=actor is not None
            and may_correct(event, actor, self.role, represents, asked),
            declared=event.pk in self.declared,
        )

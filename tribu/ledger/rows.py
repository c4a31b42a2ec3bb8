"""What each ledger row shows: its state, its value explained, and what the reader may do.

Which buttons to draw is asked of the ledger services (`may_confirm`, …), the same rules
their writes apply. The representation links of the platform are read once and handed to
them, so a page costs a few queries whatever its length; whether a correction waits for
consent is read from the page's corrections, gathered in one query.

A row also carries its texts already written for the reader (day, quantity, value, labels,
links): a page of fifty rows repeats the same few days, kinds and quantities, so each is
formatted once per page, and the rows' markup (`row_markup.py`) only places strings.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.formats import format_amount_of, format_date
from tribu.core.words import readable
from tribu.ledger.catalogue import current_values
from tribu.ledger.declared import declared_ids
from tribu.ledger.models import Action, EconomicEvent, EventState, Status
from tribu.ledger.services import may_confirm, may_correct, may_dispute, representation
from tribu.platforms.models import Platform
from tribu.reports.valuing import Valued, value_event


@dataclass(frozen=True)
class Links:
    detail: str
    confirm: str
    dispute: str
    correct: str
    corrects: str = ""  # the flow this one corrects, if it does


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
    # Written for the reader, in the page's language.
    when: str = ""
    amount: str = ""
    what: str = ""
    action: str = ""
    status: str = ""
    source_note: str = ""  # where the proxy comes from, shortened
    links: Links = Links("", "", "", "")
    corrections: list[tuple[int, str]] = field(default_factory=list)  # (id, link), oldest first
    labels: dict = field(default_factory=dict)  # the columns' names, shared by the rows

    @property
    def evidence_is_link(self) -> bool:
        return self.event.evidence.lower().startswith(("https://", "http://"))


def row_labels() -> dict[str, str]:
    """The words every row repeats (the columns' names, as a narrow screen shows them on
    each row, and the buttons), translated once per page."""
    return {
        "when": _("When"),
        "who": _("Who gave → who received"),
        "what": _("What"),
        "quantity": _("Quantity"),
        "how": _("How its value is reached"),
        "status": _("Status"),
        "evidence": _("Evidence:"),
        "corrected": _("Corrected"),
        "declared": _("declared, not confirmed by the other party"),
        "by_system": _("recorded by the system"),
        "confirm": _("Confirm"),
        "dispute": _("Dispute"),
        "why": _("Why do you dispute it?"),
        "why_short": _("why?"),
        "correct": _("Correct"),
    }


class _UrlOf:
    """`reverse` for one view of one platform, resolved once: a page asks it per row."""

    MARK = 987654321

    def __init__(self, name: str, slug: str):
        # The id comes after the slug in the path: the last mark is the id's place.
        self.head, self.tail = reverse(name, args=[slug, self.MARK]).rsplit(str(self.MARK), 1)

    def __call__(self, pk: int) -> str:
        return f"{self.head}{pk}{self.tail}"


class RowBuilder:
    def __init__(self, platform: Platform, actor: Agent | None, language: str):
        self.platform, self.actor, self.language = platform, actor, language
        self.values = current_values(platform.pk)
        self.role: str | None = None
        self.declared = declared_ids(platform)
        self.represents = representation(platform.pk)
        self.labels = row_labels()
        self._urls = {
            name: _UrlOf(f"event-{name}", platform.slug)
            for name in ("detail", "confirm", "dispute", "correct")
        }
        self._memo: dict[tuple, object] = {}

    def with_role(self, role: str | None) -> "RowBuilder":
        self.role = role
        return self

    def rows(self, events: list[EconomicEvent]) -> list[Row]:
        """The rows of a page; the corrections of its flows are read in one query."""
        corrections: dict[int, list[int]] = {}
        ids = [event.pk for event in events]
        found = EconomicEvent.objects.filter(platform=self.platform, corrects_id__in=ids)
        for corrected, correction in found.order_by("id").values_list("corrects_id", "id"):
            corrections.setdefault(corrected, []).append(correction)
        for event in events:  # one platform: its kinds' valuation reads it without a query
            event.resource_conforms_to.platform = self.platform
        return [self._row(event, corrections.get(event.pk, [])) for event in events]

    def row(self, event: EconomicEvent) -> Row:
        return self.rows([event])[0]

    def _once(self, key: tuple, make):
        """`make()`, computed once per page for equal keys."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def _valued(self, event: EconomicEvent) -> Valued:
        # As written, not as compared: 1 and 1.00 are equal numbers but read differently.
        amounts = (event.resource_quantity, event.money_amount, event.declared_value)
        key = ("valued", event.resource_conforms_to_id, *(str(a) for a in amounts))
        return self._once(
            key,
            lambda: value_event(event, self.values, self.platform.currency, self.language),
        )

    def _links(self, event: EconomicEvent) -> Links:
        url, pk = self._urls, event.pk
        corrects = url["detail"](event.corrects_id) if event.corrects_id else ""
        return Links(
            url["detail"](pk), url["confirm"](pk), url["dispute"](pk), url["correct"](pk), corrects
        )

    def _row(self, event: EconomicEvent, corrections: list[int]) -> Row:
        values = self.values.get(event.resource_conforms_to_id)
        version = values.version.number if values else None
        actor, represents = self.actor, self.represents
        asked = lambda _event: bool(corrections)  # noqa: E731 - whether a correction exists
        valued = self._valued(event)
        spec, once = event.resource_conforms_to, self._once
        return Row(
            event=event,
            state=event.state,
            valued=valued,
            source_version=version,
            can_confirm=actor is not None and may_confirm(event, actor, represents, asked),
            can_dispute=actor is not None and may_dispute(event, actor, represents, asked),
            can_correct=actor is not None
            and may_correct(event, actor, self.role, represents, asked),
            declared=event.pk in self.declared,
            when=once(("day", event.occurred_on), lambda: format_date(event.occurred_on)),
            amount=once(
                ("amount", str(event.resource_quantity), event.unit),
                lambda: format_amount_of(event.resource_quantity, event.unit),
            ),
            what=once(("what", spec.pk), lambda: spec.name(self.language)),
            action=once(("action", event.action), lambda: str(Action(event.action).label)),
            status=once(("status", event.state.status), lambda: _status(event.state.status)),
            source_note=once(
                ("source", valued.source, version), lambda: _source_note(valued.source, version)
            ),
            links=self._links(event),
            corrections=[(pk, self._urls["detail"](pk)) for pk in corrections],
            labels=self.labels,
        )


def _status(status: str) -> str:
    return str(Status(status).label)


def _source_note(source: str, version: int | None) -> str:
    if not source:
        return ""
    named = _("Proxy source (catalogue v%(v)s):") % {"v": version}
    return f"{named} {Truncator(readable(source)).chars(90)}"

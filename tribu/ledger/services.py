"""The only write path of the ledger: record, confirm, dispute, correct.

Web pages, the API, the CLI and the importers all call these functions; nothing else
creates ledger rows. Each one validates first, raises a `TribuError` whose message names
what is wrong, and writes nothing unless everything is valid.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

from tribu.agents.models import Agent
from tribu.core.errors import Conflict, NotFound, PermissionDenied, TribuError
from tribu.platforms.access import RECORDING_ROLES, is_steward, role_of
from tribu.platforms.models import Platform

from .models import (
    Action,
    EconomicEvent,
    EventState,
    EventStatusChange,
    LedgerMonth,
    ResourceSpecification,
    SpecificationValues,
    Status,
)

ACTIONS = frozenset(Action.values)
CONFIRM, DISPUTE = gettext_lazy("confirm"), gettext_lazy("dispute")


@dataclass
class Flow:
    """What a person says happened; `record_event` checks it and writes it."""

    action: str
    provider: Agent
    receiver: Agent
    specification: ResourceSpecification
    quantity: Decimal
    occurred: date | datetime
    ends: datetime | None = None
    note: str = ""
    evidence: str = ""
    money_amount: Decimal | None = None
    declared_value: Decimal | None = None
    effort_quantity: Decimal | None = None
    import_key: str | None = None
    source: str = ""
    resource: Any = None  # an EconomicResource of the spaces app, when the flow uses one
    # When the flow was recorded; an import that replays a ledger keeps the original time.
    recorded_at: datetime | None = None
    extra: dict = field(default_factory=dict)


def acts_for(actor: Agent, agent: Agent) -> bool:
    """A person acts for themselves and for the organizations they represent."""
    return actor.pk == agent.pk or agent.representatives.filter(pk=actor.pk).exists()


class Directory:
    """The look-ups behind the rules (roles, representation, how a specification is valued),
    asked of the database. A batch import answers the same questions from maps it loaded
    once, so that its events obey exactly the rules below."""

    def acts_for(self, actor: Agent, agent: Agent) -> bool:
        return acts_for(actor, agent)

    def role_of(self, agent: Agent) -> str | None:
        return role_of(agent)

    def is_declared(self, spec: ResourceSpecification) -> bool:
        return _is_declared(spec)


LIVE = Directory()
# Who may still act on an event in each state (a corrected event is closed to all).
CONFIRMABLE = frozenset({Status.PROPOSED, Status.DISPUTED})
DISPUTABLE = frozenset({Status.PROPOSED, Status.CONFIRMED})


def counterparty_of(event: EconomicEvent, ask: Directory = LIVE) -> Agent:
    """The side that did not record the event: the receiver, unless the recorder acts for it."""
    if ask.acts_for(event.recorded_by, event.receiver):
        return event.provider
    return event.receiver


def current_status(event: EconomicEvent) -> str:
    return EventState.objects.values_list("status", flat=True).get(event=event)


# --- may I? -----------------------------------------------------------------------
# The rules of confirm, dispute and correct, asked by pages to draw their buttons and
# applied by the writes below. `represents(person_id, agent_id)` answers "acts for"; a page
# passes one that reads the platform's representation links once instead of per event.

Represents = Callable[[int, int], bool]


def _represents_in_db(person_id: int, agent_id: int) -> bool:
    return (
        person_id == agent_id
        or Agent.representatives.through.objects.filter(
            from_agent_id=agent_id, to_agent_id=person_id
        ).exists()
    )


def representation(platform_id: int) -> Represents:
    """ "Acts for", answered from the platform's representation links read once: for a
    page or a list that asks it of many events."""
    links: dict[int, set[int]] = {}
    through = Agent.representatives.through.objects
    for org_id, person_id in through.filter(from_agent__platform_id=platform_id).values_list(
        "from_agent_id", "to_agent_id"
    ):
        links.setdefault(person_id, set()).add(org_id)

    def represents(person_id: int, agent_id: int) -> bool:
        return person_id == agent_id or agent_id in links.get(person_id, ())

    return represents


def is_counterparty(event: EconomicEvent, actor_id: int, represents: Represents) -> bool:
    if actor_id == event.recorded_by_id:
        return False
    recorder_receives = represents(event.recorded_by_id, event.receiver_id)
    counterparty = event.provider_id if recorder_receives else event.receiver_id
    return represents(actor_id, counterparty)


def is_closed(
    event: EconomicEvent, correction_exists: Callable[[EconomicEvent], bool] | None = None
) -> bool:
    """Closed to confirm, dispute and correct: corrected, or its correction waits for consent
    (only a confirmed flow's correction waits). `correction_exists` lets a page answer from
    what it prefetched; by default the database is asked."""
    state = event.state
    if state.corrected:
        return True
    exists = correction_exists or has_correction
    return state.status == Status.CONFIRMED and exists(event)


def may_confirm(
    event: EconomicEvent,
    actor: Agent,
    represents: Represents = _represents_in_db,
    correction_exists: Callable[[EconomicEvent], bool] | None = None,
) -> bool:
    return (
        event.state.status in CONFIRMABLE
        and is_counterparty(event, actor.pk, represents)
        and not is_closed(event, correction_exists)
    )


def may_dispute(
    event: EconomicEvent,
    actor: Agent,
    represents: Represents = _represents_in_db,
    correction_exists: Callable[[EconomicEvent], bool] | None = None,
) -> bool:
    return (
        event.state.status in DISPUTABLE
        and is_counterparty(event, actor.pk, represents)
        and not is_closed(event, correction_exists)
    )


def may_correct(
    event: EconomicEvent,
    actor: Agent,
    role: str | None,
    represents: Represents = _represents_in_db,
    correction_exists: Callable[[EconomicEvent], bool] | None = None,
) -> bool:
    me = actor.pk
    party = (
        me == event.recorded_by_id
        or represents(me, event.provider_id)
        or represents(me, event.receiver_id)
    )
    return _corrector(party, role) and not is_closed(event, correction_exists)


def _corrector(party: bool, role: str | None) -> bool:
    """The recorder, either side (or who acts for it) and the stewards correct."""
    return party or is_steward(role)


# --- validation -----------------------------------------------------------------


def _decimal(value, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise TribuError(
            _("%(name)s: “%(value)s” is not a number") % {"name": name, "value": value}
        ) from exc
    if not number.is_finite():
        raise TribuError(_("%(name)s: must be a finite number") % {"name": name})
    return number


def _check_flow(platform: Platform, flow: Flow, ask: Directory = LIVE) -> None:
    for role, agent in (("provider", flow.provider), ("receiver", flow.receiver)):
        if agent.platform_id != platform.pk:
            raise NotFound(
                _("%(role)s: no agent “%(slug)s” in this platform")
                % {"role": role, "slug": agent.slug}
            )
    if flow.specification.platform_id != platform.pk:
        raise NotFound(
            _("no specification “%(slug)s” in this platform") % {"slug": flow.specification.slug}
        )
    if flow.action not in ACTIONS:
        raise TribuError(
            _("unknown action “%(action)s” (expected one of: %(choices)s)")
            % {"action": flow.action, "choices": ", ".join(Action.values)}
        )
    if flow.provider.pk == flow.receiver.pk:
        raise TribuError(_("provider and receiver are the same agent"))
    _check_span(flow)
    _check_amounts(flow, ask)


def _check_span(flow: Flow) -> None:
    """An event with an end is a span: it starts at a moment and ends strictly after it."""
    if flow.ends is None:
        return
    occurred, ends = flow.occurred, flow.ends
    if isinstance(occurred, datetime) and isinstance(ends, datetime):
        if timezone.is_naive(occurred):
            occurred = flow.occurred = timezone.make_aware(occurred)
        if timezone.is_naive(ends):
            ends = flow.ends = timezone.make_aware(ends)
        if ends > occurred:
            return
    raise TribuError(_("ends: must come after occurred, given as a date and time"))


def _check_amounts(flow: Flow, ask: Directory = LIVE) -> None:
    quantity = _decimal(flow.quantity, "quantity")
    if quantity is None:
        raise TribuError(_("quantity: missing"))
    flow.quantity = quantity
    if flow.quantity < 0:
        raise TribuError(_("quantity: %(q)s is negative") % {"q": flow.quantity})
    flow.money_amount = _decimal(flow.money_amount, "money_amount")
    flow.declared_value = _decimal(flow.declared_value, "declared_value")
    flow.effort_quantity = _decimal(flow.effort_quantity, "effort_quantity")
    for name in ("money_amount", "declared_value", "effort_quantity"):
        value = getattr(flow, name)
        if value is not None and value < 0:
            raise TribuError(_("%(name)s: %(v)s is negative") % {"name": name, "v": value})
    spec = flow.specification
    if spec.market and flow.money_amount is None:
        raise TribuError(
            _("money_amount: required for “%(slug)s”, which is a market flow") % {"slug": spec.slug}
        )
    if not spec.market and ask.is_declared(spec) and flow.declared_value is None:
        raise TribuError(
            _("declared_value: “%(slug)s” is valued per event; give the declared value")
            % {"slug": spec.slug}
        )


def valued_per_event(spec: ResourceSpecification) -> bool:
    """Whether each flow of `spec` must state its own value (no central price)."""
    return _is_declared(spec)


def _is_declared(spec: ResourceSpecification) -> bool:
    """Valued per event when the newest catalogue version gives it no central price."""
    newest = (
        SpecificationValues.objects.filter(specification=spec)
        .order_by("-version__number")
        .values_list("proxy_central", flat=True)[:1]
    )
    return not newest or newest[0] is None


def check_record(
    platform: Platform, actor: Agent, flow: Flow, *, system: bool, ask: Directory = LIVE
) -> None:
    """Every rule a new event obeys, before anything is written (`record_event`, the import)."""
    _check_flow(platform, flow, ask)
    _check_recorder(platform, actor, flow, system, ask)


def _check_recorder(
    platform: Platform, actor: Agent, flow: Flow, system: bool, ask: Directory = LIVE
) -> None:
    if actor.platform_id != platform.pk:
        raise PermissionDenied(
            _("“%(slug)s” is not a member of this platform") % {"slug": actor.slug}
        )
    if system:
        return
    role = ask.role_of(actor)
    if role not in RECORDING_ROLES:
        raise PermissionDenied(_("“%(slug)s” may not record flows here") % {"slug": actor.slug})
    party = ask.acts_for(actor, flow.provider) or ask.acts_for(actor, flow.receiver)
    if not party and not is_steward(role):
        raise PermissionDenied(
            _("“%(slug)s” is neither the provider nor the receiver") % {"slug": actor.slug}
        )


# --- writes ---------------------------------------------------------------------


def record_event(
    platform: Platform,
    actor: Agent,
    flow: Flow,
    *,
    system: bool = False,
    corrects: EconomicEvent | None = None,
) -> tuple[EconomicEvent, bool]:
    """Record a flow; returns (event, created). System events are confirmed at once.

    An `import_key` already in the ledger returns the existing event: imports can be
    replayed without duplicating anything.
    """
    check_record(platform, actor, flow, system=system)
    if flow.import_key:
        existing = EconomicEvent.objects.filter(platform=platform, import_key=flow.import_key)
        if existing.exists():
            return existing.get(), False
    with transaction.atomic():
        event = _create_event(platform, actor, flow, corrects)
        status = Status.CONFIRMED if system else Status.PROPOSED
        EventStatusChange.objects.create(
            platform=platform, event=event, status=status, by=actor, at=event.recorded_at
        )
        state = EventState.objects.create(event=event, platform=platform, status=status)
        _refresh_counted(state)
    return event, True


def _create_event(platform, actor, flow: Flow, corrects) -> EconomicEvent:
    try:
        return EconomicEvent.objects.create(**event_fields(platform, actor, flow, corrects))
    except IntegrityError as exc:
        raise Conflict(
            _("import key “%(key)s” is already used") % {"key": flow.import_key}
        ) from exc


def event_fields(platform, actor, flow: Flow, corrects) -> dict:
    """The columns of the event a checked flow becomes (`record_event`, the import)."""
    occurred = flow.occurred
    is_datetime = isinstance(occurred, datetime)
    if not isinstance(occurred, datetime):
        day = occurred
    elif timezone.is_aware(occurred):
        day = timezone.localdate(occurred)
    else:
        day = occurred.date()
    return dict(
        platform=platform,
        action=flow.action,
        provider=flow.provider,
        receiver=flow.receiver,
        resource_conforms_to=flow.specification,
        resource_inventoried_as=flow.resource,
        resource_quantity=flow.quantity,
        unit=flow.specification.unit,
        effort_quantity=flow.effort_quantity,
        has_point_in_time=occurred if is_datetime and not flow.ends else None,
        has_beginning=occurred if flow.ends else None,
        has_end=flow.ends,
        occurred_on=day,
        note=flow.note,
        evidence=flow.evidence,
        money_amount=flow.money_amount,
        currency=platform.currency if flow.money_amount is not None else "",
        declared_value=flow.declared_value,
        recorded_by=actor,
        corrects=corrects,
        import_key=flow.import_key,
        source=flow.source,
        recorded_at=flow.recorded_at or timezone.now(),
    )


def confirm_event(event: EconomicEvent, actor: Agent, *, at: datetime | None = None) -> None:
    """Only the counterparty (or someone who represents it) confirms, never the recorder.

    `at` (default now) lets an import replay a ledger with its original times."""
    _check_counterparty(event, actor, _("confirm"))
    _change_status(event, actor, Status.CONFIRMED, "", allowed=CONFIRMABLE, at=at)


def dispute_event(
    event: EconomicEvent, actor: Agent, reason: str, *, at: datetime | None = None
) -> None:
    _check_reason(reason)
    _check_counterparty(event, actor, _("dispute"))
    _change_status(event, actor, Status.DISPUTED, reason.strip(), allowed=DISPUTABLE, at=at)


def _check_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise TribuError(_("reason: a dispute must say why"))


def check_status_change(
    event: EconomicEvent, actor: Agent, status: str, reason: str, state, ask: Directory
) -> None:
    """The rules of `confirm_event` and `dispute_event`, for a batch that keeps its events'
    states (`status`, `corrected`) in memory."""
    if status == Status.DISPUTED:
        _check_reason(reason)
    # The verb stays lazy: translated only for a message (a batch checks thousands).
    verb = CONFIRM if status == Status.CONFIRMED else DISPUTE
    _check_counterparty(event, actor, verb, ask)
    allowed = CONFIRMABLE if status == Status.CONFIRMED else DISPUTABLE
    _check_transition(event, state, allowed, state.has_correction)


def correct_event(
    event: EconomicEvent, actor: Agent, flow: Flow, reason: str = "", *, system: bool = False
) -> EconomicEvent:
    """Record a new event that replaces `event` in every report; the old one stays."""
    check_correction(event, actor, system=system)
    flow.note = flow.note or reason
    with transaction.atomic():
        EventState.objects.select_for_update().get(event=event)
        check_not_corrected(event, has_correction(event))
        correction, _created = record_event(
            event.platform, actor, flow, system=system, corrects=event
        )
        _refresh_chain(correction)
    return correction


def has_correction(event: EconomicEvent) -> bool:
    """Whether a correction of `event` exists, whether or not it has taken effect yet."""
    return EconomicEvent.objects.filter(corrects=event).exists()


def settle_event(event: EconomicEvent, actor: Agent, reason: str) -> None:
    """A steward settles a disputed correction: it takes effect, and the history says who
    decided and why. Stewards who are party to the flow may not settle it."""
    if actor.platform_id != event.platform_id:
        raise NotFound(_("no event #%(id)s in this platform") % {"id": event.pk})
    if not is_steward(role_of(actor)) or _is_party(event, actor):
        raise PermissionDenied(
            _("only a steward who is not party to event #%(id)s may settle it") % {"id": event.pk}
        )
    if not (reason or "").strip():
        raise TribuError(_("reason: a settlement must say why"))
    if event.corrects_id is None:
        raise Conflict(
            _("event #%(id)s corrects nothing: only corrections are settled") % {"id": event.pk}
        )
    _change_status(
        event, actor, Status.CONFIRMED, reason.strip(), allowed=frozenset({Status.DISPUTED})
    )


def _is_party(event: EconomicEvent, actor: Agent, ask: Directory = LIVE) -> bool:
    """The recorder, or someone acting for the provider or the receiver."""
    return event.recorded_by_id == actor.pk or any(
        ask.acts_for(actor, agent) for agent in (event.provider, event.receiver)
    )


def check_correction(
    event: EconomicEvent, actor: Agent, *, system: bool, ask: Directory = LIVE
) -> None:
    if actor.platform_id != event.platform_id:
        raise NotFound(_("no event #%(id)s in this platform") % {"id": event.pk})
    if not system and not _may_correct(event, actor, ask):
        raise PermissionDenied(
            _("“%(slug)s” may not correct event #%(id)s") % {"slug": actor.slug, "id": event.pk}
        )


def check_not_corrected(event: EconomicEvent, corrected: bool) -> None:
    """A flow is corrected once: a correction that waits for consent blocks a second one."""
    if corrected:
        raise Conflict(_("event #%(id)s has already been corrected") % {"id": event.pk})


def _may_correct(event: EconomicEvent, actor: Agent, ask: Directory = LIVE) -> bool:
    # The rule of `may_correct`, with the look-ups asked of `ask` (a batch's maps).
    return _corrector(_is_party(event, actor, ask), ask.role_of(actor))


def _check_counterparty(
    event: EconomicEvent, actor: Agent, verb: "str | StrPromise", ask=LIVE
) -> None:
    if actor.platform_id != event.platform_id:
        raise NotFound(_("no event #%(id)s in this platform") % {"id": event.pk})
    counterparty = counterparty_of(event, ask)
    if actor.pk == event.recorded_by_id or not ask.acts_for(actor, counterparty):
        raise PermissionDenied(
            _("only the counterparty (%(who)s) may %(verb)s event #%(id)s")
            % {"who": counterparty.name, "verb": verb, "id": event.pk}
        )


def _change_status(
    event, actor, status: str, reason: str, allowed: frozenset[Status], at: datetime | None = None
) -> None:
    with transaction.atomic():
        state = EventState.objects.select_for_update().get(event=event)
        _check_transition(event, state, allowed, has_correction(event))
        EventStatusChange.objects.create(
            platform_id=event.platform_id,
            event=event,
            status=status,
            by=actor,
            reason=reason,
            at=at or timezone.now(),
        )
        state.status = status
        state.save()
        _refresh_chain(event)


def _check_transition(event, state, allowed, corrected: bool) -> None:
    """`corrected`: a correction of the event exists (taken effect or waiting for consent)."""
    if corrected:
        raise Conflict(
            _("event #%(id)s was corrected: act on its correction instead") % {"id": event.pk}
        )
    if state.status not in allowed:
        raise Conflict(
            _("event #%(id)s is already “%(status)s”")
            % {"id": event.pk, "status": Status(state.status).label}
        )


# --- projections ----------------------------------------------------------------


def counts(state) -> bool:
    """Whether an event is in the sums: confirmed, and not corrected (`state` is an
    `EventState` or the import's state of an event not written yet)."""
    return state.status == Status.CONFIRMED and not state.corrected


def _refresh_counted(state: EventState) -> None:
    """Keep `counted` and the monthly sums in step with the status and corrections."""
    counted = counts(state)
    delta = int(counted) - int(state.counted)
    state.counted = counted
    state.save()
    if delta:
        _add_to_month(EconomicEvent.objects.get(pk=state.event_id), delta)


def replaced(status: str, confirmed_above: bool) -> bool:
    """Whether a corrected flow stops counting: at once when it was not confirmed; when it
    was, only once a later link of its chain of corrections is confirmed (consent)."""
    return status != Status.CONFIRMED or confirmed_above


def _refresh_chain(head: EconomicEvent) -> None:
    """Re-derive `corrected` along a chain of corrections, from its newest link up.

    A correction replaces the flow it corrects at once when that flow was not confirmed;
    a confirmed flow is replaced only once a later link of its chain is confirmed (by the
    counterparty, or by a steward settling a dispute): until then it keeps counting.
    """
    confirmed_below = False
    event: EconomicEvent | None = head
    while event is not None:
        state = EventState.objects.select_for_update().get(event_id=event.pk)
        if event.pk != head.pk:
            state.corrected = replaced(state.status, confirmed_below)
        confirmed_below = confirmed_below or state.status == Status.CONFIRMED
        _refresh_counted(state)
        event = event.corrects


def _add_to_month(event: EconomicEvent, sign: int) -> None:
    key = {
        "platform_id": event.platform_id,
        "month": event.occurred_on.replace(day=1),
        "specification_id": event.resource_conforms_to_id,
        "provider_id": event.provider_id,
        "receiver_id": event.receiver_id,
    }
    change = {
        "quantity": F("quantity") + sign * event.resource_quantity,
        "money": F("money") + sign * (event.money_amount or 0),
        "declared": F("declared") + sign * (event.declared_value or 0),
        "events": F("events") + sign,
    }
    if LedgerMonth.objects.filter(**key).update(**change):
        return
    try:
        with transaction.atomic():
            LedgerMonth.objects.create(
                **key,
                quantity=sign * event.resource_quantity,
                money=sign * (event.money_amount or 0),
                declared=sign * (event.declared_value or 0),
                events=sign,
            )
    except IntegrityError:  # created meanwhile by a concurrent writer
        LedgerMonth.objects.filter(**key).update(**change)

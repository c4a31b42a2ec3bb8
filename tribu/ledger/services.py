"""The only write path of the ledger: record, confirm, dispute, correct.

Web pages, the API, the CLI and the importers all call these functions; nothing else
creates ledger rows. Each one validates first, raises a `TribuError` whose message names
what is wrong, and writes nothing unless everything is valid.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import Conflict, NotFound, PermissionDenied, TribuError
from tribu.platforms.models import Membership, Platform, Role

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

RECORDING_ROLES = {Role.HOST, Role.FACILITATOR, Role.RESIDENT, Role.NEWCOMER}
STEWARD_ROLES = {Role.HOST, Role.FACILITATOR}


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
    resource: object | None = None
    # When the flow was recorded; an import that replays a ledger keeps the original time.
    recorded_at: datetime | None = None
    extra: dict = field(default_factory=dict)


def acts_for(actor: Agent, agent: Agent) -> bool:
    """A person acts for themselves and for the organizations they represent."""
    return actor.pk == agent.pk or agent.representatives.filter(pk=actor.pk).exists()


def role_of(agent: Agent) -> str | None:
    membership = Membership.objects.filter(platform_id=agent.platform_id, agent=agent).first()
    return membership.role if membership else None


def counterparty_of(event: EconomicEvent) -> Agent:
    """The side that did not record the event: the receiver, unless the recorder acts for it."""
    if acts_for(event.recorded_by, event.receiver):
        return event.provider
    return event.receiver


def current_status(event: EconomicEvent) -> str:
    return EventState.objects.values_list("status", flat=True).get(event=event)


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


def _check_flow(platform: Platform, flow: Flow) -> None:
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
    if flow.action not in Action.values:
        raise TribuError(
            _("unknown action “%(action)s” (expected one of: %(choices)s)")
            % {"action": flow.action, "choices": ", ".join(Action.values)}
        )
    if flow.provider.pk == flow.receiver.pk:
        raise TribuError(_("provider and receiver are the same agent"))
    _check_amounts(flow)


def _check_amounts(flow: Flow) -> None:
    flow.quantity = _decimal(flow.quantity, "quantity")
    if flow.quantity is None:
        raise TribuError(_("quantity: missing"))
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
    if not spec.market and _is_declared(spec) and flow.declared_value is None:
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


def _check_recorder(platform: Platform, actor: Agent, flow: Flow, system: bool) -> None:
    if actor.platform_id != platform.pk:
        raise PermissionDenied(
            _("“%(slug)s” is not a member of this platform") % {"slug": actor.slug}
        )
    if system:
        return
    role = role_of(actor)
    if role not in RECORDING_ROLES:
        raise PermissionDenied(_("“%(slug)s” may not record flows here") % {"slug": actor.slug})
    party = acts_for(actor, flow.provider) or acts_for(actor, flow.receiver)
    if not party and role not in STEWARD_ROLES:
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
    _check_flow(platform, flow)
    _check_recorder(platform, actor, flow, system)
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
    occurred = flow.occurred
    is_datetime = isinstance(occurred, datetime)
    day = (
        timezone.localdate(occurred)
        if is_datetime and timezone.is_aware(occurred)
        else (occurred.date() if is_datetime else occurred)
    )
    try:
        return EconomicEvent.objects.create(
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
    except IntegrityError as exc:
        raise Conflict(
            _("import key “%(key)s” is already used") % {"key": flow.import_key}
        ) from exc


def confirm_event(event: EconomicEvent, actor: Agent, *, at: datetime | None = None) -> None:
    """Only the counterparty (or someone who represents it) confirms, never the recorder.

    `at` (default now) lets an import replay a ledger with its original times."""
    _check_counterparty(event, actor, _("confirm"))
    _change_status(
        event, actor, Status.CONFIRMED, "", allowed={Status.PROPOSED, Status.DISPUTED}, at=at
    )


def dispute_event(
    event: EconomicEvent, actor: Agent, reason: str, *, at: datetime | None = None
) -> None:
    if not (reason or "").strip():
        raise TribuError(_("reason: a dispute must say why"))
    _check_counterparty(event, actor, _("dispute"))
    _change_status(
        event,
        actor,
        Status.DISPUTED,
        reason.strip(),
        allowed={Status.PROPOSED, Status.CONFIRMED},
        at=at,
    )


def correct_event(
    event: EconomicEvent, actor: Agent, flow: Flow, reason: str = "", *, system: bool = False
) -> EconomicEvent:
    """Record a new event that replaces `event` in every report; the old one stays."""
    if actor.platform_id != event.platform_id:
        raise NotFound(_("no event #%(id)s in this platform") % {"id": event.pk})
    if not system and not _may_correct(event, actor):
        raise PermissionDenied(
            _("“%(slug)s” may not correct event #%(id)s") % {"slug": actor.slug, "id": event.pk}
        )
    flow.note = flow.note or reason
    with transaction.atomic():
        state = EventState.objects.select_for_update().get(event=event)
        if state.corrected:
            raise Conflict(_("event #%(id)s has already been corrected") % {"id": event.pk})
        correction, _created = record_event(
            event.platform, actor, flow, system=system, corrects=event
        )
        state.corrected = True
        _refresh_counted(state)
    return correction


def _may_correct(event: EconomicEvent, actor: Agent) -> bool:
    if event.recorded_by_id == actor.pk:
        return True
    if acts_for(actor, event.provider) or acts_for(actor, event.receiver):
        return True
    return role_of(actor) in STEWARD_ROLES


def _check_counterparty(event: EconomicEvent, actor: Agent, verb: str) -> None:
    if actor.platform_id != event.platform_id:
        raise NotFound(_("no event #%(id)s in this platform") % {"id": event.pk})
    counterparty = counterparty_of(event)
    if actor.pk == event.recorded_by_id or not acts_for(actor, counterparty):
        raise PermissionDenied(
            _("only the counterparty (%(who)s) may %(verb)s event #%(id)s")
            % {"who": counterparty.name, "verb": verb, "id": event.pk}
        )


def _change_status(
    event, actor, status: str, reason: str, allowed: set[str], at: datetime | None = None
) -> None:
    with transaction.atomic():
        state = EventState.objects.select_for_update().get(event=event)
        if state.corrected:
            raise Conflict(
                _("event #%(id)s was corrected: act on its correction instead") % {"id": event.pk}
            )
        if state.status not in allowed:
            raise Conflict(
                _("event #%(id)s is already “%(status)s”")
                % {"id": event.pk, "status": Status(state.status).label}
            )
        EventStatusChange.objects.create(
            platform_id=event.platform_id,
            event=event,
            status=status,
            by=actor,
            reason=reason,
            at=at or timezone.now(),
        )
        state.status = status
        _refresh_counted(state)


# --- projections ----------------------------------------------------------------


def _refresh_counted(state: EventState) -> None:
    """Keep `counted` and the monthly sums in step with the status and corrections."""
    counted = state.status == Status.CONFIRMED and not state.corrected
    delta = int(counted) - int(state.counted)
    state.counted = counted
    state.save()
    if delta:
        _add_to_month(EconomicEvent.objects.get(pk=state.event_id), delta)


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

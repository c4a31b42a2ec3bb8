"""Costs that don't need the landlord: market flows with an outside party who is not in
Tribu, declared by a steward with evidence.

The host's main costs are paid to outsiders (a landlord, a cleaning company, a freelance
facilitator) who will never confirm a flow. A steward declares such a flow with a
reference, a document or a note; it is counted in the market tier at once and shown
everywhere as "declared, not confirmed by the other party". A monthly cost is declared
once with a schedule; each month then gets its own declared flow, append-only like any
other event.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import PermissionDenied, TribuError
from tribu.platforms.access import STEWARDS, role_of
from tribu.platforms.models import Membership, Platform, PlatformStatus

from .models import Action, Declaration, EconomicEvent, EvidenceKind, RecurringCost
from .services import Flow, record_event


def is_outsider(platform: Platform, agent: Agent) -> bool:
    """Someone the platform deals with who is not a member (nor the place itself)."""
    if agent.pk in (platform.place_id,):
        return False
    return not Membership.objects.filter(platform=platform, agent=agent).exists()


def _check(platform: Platform, actor: Agent, flow: Flow, kind: str) -> None:
    if actor.platform_id != platform.pk or role_of(actor) not in STEWARDS:
        raise PermissionDenied(_("Only the host and the facilitators declare costs."))
    from tribu.platforms.founding import check_not_closed

    check_not_closed(platform)
    if not flow.specification.market:
        raise TribuError(_("Only market flows, paid in money, are declared with evidence."))
    outsiders = [a for a in (flow.provider, flow.receiver) if is_outsider(platform, a)]
    if len(outsiders) != 1:
        raise TribuError(
            _(
                "A declared flow is between the platform and one outside party who is not a "
                "member; between members, record the flow so that the other one confirms it."
            )
        )
    if kind not in EvidenceKind.values:
        raise TribuError(
            _("Say what kind of evidence backs it: a reference, a document or a note.")
        )
    if not (flow.evidence or "").strip():
        raise TribuError(_("Give the evidence: a reference, a link to a document or a note."))
    if flow.money_amount is None or Decimal(flow.money_amount) <= 0:
        raise TribuError(_("The amount paid must be more than 0."))
    if Decimal(flow.money_amount) >= Decimal(10) ** 12:
        raise TribuError(_("The amount paid is too large."))
    if len(flow.evidence) > 500:
        raise TribuError(_("The evidence is too long: 500 characters at most."))


@transaction.atomic
def declare_flow(
    platform: Platform,
    actor: Agent,
    flow: Flow,
    kind: str,
    schedule: RecurringCost | None = None,
) -> EconomicEvent:
    """Record and count a market flow with an outsider, marked as declared."""
    _check(platform, actor, flow, kind)
    return _record(platform, actor, flow, kind, schedule)


def _record(platform, actor, flow: Flow, kind: str, schedule) -> EconomicEvent:
    # Counted at once (a "system" record): the other party will never confirm it; the
    # declaration row says so wherever the event shows.
    event, created = record_event(platform, actor, flow, system=True)
    if created:
        Declaration.objects.create(
            platform=platform, event=event, evidence_kind=kind, schedule=schedule
        )
    return event


@dataclass
class Schedule:
    """A monthly cost as the steward states it: from `starts`, for `months` (or ongoing)."""

    provider: Agent
    receiver: Agent
    specification: object
    amount: Decimal
    starts: date
    evidence: str
    kind: str
    months: int | None = None
    note: str = ""


def _month(start: date, index: int) -> date:
    year, month = divmod(start.month - 1 + index, 12)
    return date(start.year + year, month + 1, min(start.day, 28))


@transaction.atomic
def declare_recurring(platform: Platform, actor: Agent, schedule: Schedule) -> RecurringCost:
    """Declare a monthly cost once; the months already come produce their flows now."""
    if schedule.months is not None and not 1 <= schedule.months <= 1200:
        raise TribuError(_("A schedule lasts from one month to a hundred years."))
    if schedule.starts is None:
        raise TribuError(_("Say from which month the cost runs."))
    first = _flow(schedule, schedule.starts, None)
    _check(platform, actor, first, schedule.kind)
    cost = RecurringCost.objects.create(
        platform=platform,
        provider=schedule.provider,
        receiver=schedule.receiver,
        specification=schedule.specification,
        amount=first.money_amount,
        day=min(schedule.starts.day, 28),
        starts=schedule.starts,
        months=schedule.months,
        evidence_kind=schedule.kind,
        evidence=schedule.evidence.strip(),
        note=schedule.note,
        created_by=actor,
    )
    produce_due(cost)
    return cost


def _flow(schedule, day: date, key: str | None) -> Flow:
    return Flow(
        action=Action.TRANSFER,
        provider=schedule.provider,
        receiver=schedule.receiver,
        specification=schedule.specification,
        quantity=Decimal(1),
        occurred=day,
        note=schedule.note,
        evidence=schedule.evidence,
        money_amount=schedule.amount,
        import_key=key,
    )


def produce_due(cost: RecurringCost, today: date | None = None) -> int:
    """The monthly flows due up to `today` that do not exist yet; replays add nothing."""
    today = today or timezone.localdate()
    if cost.platform.status == PlatformStatus.CLOSED:  # read-only: no new month once closed
        return 0
    made, index = 0, 0
    while cost.months is None or index < cost.months:
        day = _month(cost.starts, index)
        if day > today:
            break
        key = f"schedule-{cost.pk}-{day:%Y-%m}"
        if not EconomicEvent.objects.filter(platform_id=cost.platform_id, import_key=key).exists():
            schedule = Schedule(
                cost.provider,
                cost.receiver,
                cost.specification,
                cost.amount,
                cost.starts,
                cost.evidence,
                cost.evidence_kind,
                note=cost.note,
            )
            # Checked when the schedule was declared; a month falling due later is not
            # refused because its declarer has since changed roles.
            with transaction.atomic():
                _record(
                    cost.platform,
                    cost.created_by,
                    _flow(schedule, day, key),
                    cost.evidence_kind,
                    cost,
                )
            made += 1
        index += 1
    return made


def catch_up(platform: Platform, today: date | None = None) -> int:
    """Every schedule of the platform brought up to date (pages and the daily tick)."""
    return sum(produce_due(cost, today) for cost in RecurringCost.objects.filter(platform=platform))


def declared_ids(platform: Platform) -> set[int]:
    """The events of a platform that were declared: one query for a whole page of rows."""
    return set(Declaration.objects.filter(platform=platform).values_list("event_id", flat=True))

"""The ledger through the API: members read it, record flows, and the counterparty
confirms or disputes; corrections are new events. Every write goes through
`tribu.ledger.services`, exactly as the pages do."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from tribu.api.access import agent_in, spec_in
from tribu.api.auth import TOKEN
from tribu.api.present import event_detail_out, event_out, ledger_context
from tribu.api.schemas import (
    ERRORS,
    CorrectionIn,
    DisputeIn,
    ErrorOut,
    EventDetailOut,
    EventFilters,
    EventId,
    EventIn,
    EventPage,
    Slug,
)
from tribu.core.errors import TribuError
from tribu.platforms.access import access_event, access_member, is_member, own_events
from tribu.platforms.models import TrialArea
from tribu.reports.ledger_view import LedgerFilter, ledger_events

from ..models import EconomicEvent
from ..services import (
    Flow,
    confirm_event,
    correct_event,
    dispute_event,
    record_event,
    settle_event,
)

router = Router(tags=["events"], auth=TOKEN)
DETAIL = {200: EventDetailOut, ERRORS: ErrorOut}
CREATED = {201: EventDetailOut, ERRORS: ErrorOut}


def events_of(platform):
    return EconomicEvent.objects.filter(platform=platform).select_related(
        "state", "provider", "receiver", "resource_conforms_to", "recorded_by"
    )


def detail(event: EconomicEvent) -> dict:
    fresh = events_of(event.platform_id).get(pk=event.pk)
    return event_detail_out(fresh, ledger_context(fresh.platform))


def _aware(moment):
    if isinstance(moment, datetime) and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def flow_from(platform, data: EventIn) -> Flow:
    occurred, ends = _aware(data.occurred), _aware(data.ends)
    return Flow(
        action=data.action,
        provider=agent_in(platform, data.provider, "provider"),
        receiver=agent_in(platform, data.receiver, "receiver"),
        specification=spec_in(platform, data.specification),
        quantity=data.quantity,
        occurred=occurred,
        ends=ends,
        note=data.note,
        evidence=data.evidence,
        money_amount=data.money_amount,
        declared_value=data.declared_value,
        effort_quantity=data.effort_quantity,
    )


def filtered(platform, f: EventFilters):
    """The web's ledger query: unknown agents and kinds of value are named, not ignored."""
    if f.start and f.end and f.start >= f.end:
        raise TribuError(
            _("period: the start (%(a)s) must come before the end (%(b)s)")
            % {"a": f.start, "b": f.end}
        )
    if f.agent:
        agent_in(platform, f.agent, "agent")
    if f.spec:
        spec_in(platform, f.spec)
    return ledger_events(
        platform,
        LedgerFilter(
            start=f.start, end=f.end, agent=f.agent or "", spec=f.spec or "", status=f.status or ""
        ),
    )


@router.get(
    "/platforms/{slug}/events",
    response={200: EventPage, ERRORS: ErrorOut},
    summary="The ledger, newest first (members)",
)
def list_events(request, slug: Slug, filters: Query[EventFilters]):
    platform, actor, _role = access_member(request.auth, slug, area="own")
    events = filtered(platform, filters)
    if not is_member(request.auth, platform, TrialArea.LEDGER):  # on trial: their own flows
        events = events.filter(pk__in=own_events(platform, actor).values("pk"))
    first = (filters.page - 1) * filters.page_size
    page = events[first : first + filters.page_size]
    ctx = ledger_context(platform)
    return {
        "count": events.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [event_out(event, ctx) for event in page],
    }


@router.post(
    "/platforms/{slug}/events",
    response=CREATED,
    summary="Record a flow (proposed until the counterparty confirms)",
)
def record(request, slug: Slug, payload: EventIn):
    platform, actor, _role = access_member(request.auth, slug, area="own")
    event, _created = record_event(platform, actor, flow_from(platform, payload))
    return 201, detail(event)


@router.get(
    "/platforms/{slug}/events/{event_id}",
    response=DETAIL,
    summary="An event with its status history and corrections",
)
def get_event(request, slug: Slug, event_id: EventId):
    event, _actor, _role = access_event(request.auth, slug, event_id)
    return detail(event)


@router.post(
    "/platforms/{slug}/events/{event_id}/confirm",
    response=DETAIL,
    summary="Confirm (the counterparty only)",
)
def confirm(request, slug: Slug, event_id: EventId):
    event, actor, _role = access_event(request.auth, slug, event_id)
    confirm_event(event, actor)
    return detail(event)


@router.post(
    "/platforms/{slug}/events/{event_id}/dispute",
    response=DETAIL,
    summary="Dispute, saying why (the counterparty only)",
)
def dispute(request, slug: Slug, event_id: EventId, payload: DisputeIn):
    event, actor, _role = access_event(request.auth, slug, event_id)
    dispute_event(event, actor, payload.reason)
    return detail(event)


@router.post(
    "/platforms/{slug}/events/{event_id}/settle",
    response=DETAIL,
    summary="Settle a disputed correction, saying why (a steward who is not a party)",
)
def settle(request, slug: Slug, event_id: EventId, payload: DisputeIn):
    event, actor, _role = access_event(request.auth, slug, event_id)
    settle_event(event, actor, payload.reason)
    return detail(event)


@router.post(
    "/platforms/{slug}/events/{event_id}/correct",
    response=CREATED,
    summary="Correct: a new event that replaces this one in every report",
)
def correct(request, slug: Slug, event_id: EventId, payload: CorrectionIn):
    event, actor, _role = access_event(request.auth, slug, event_id)
    correction = correct_event(event, actor, flow_from(event.platform, payload), payload.reason)
    return 201, detail(correction)

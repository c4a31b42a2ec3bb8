"""Bookings: taking a resource for a while, cancelling, and the `use` events that
bookings which took place become in the ledger (through `tribu.ledger.services`)."""

import logging
import math
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.agents.models import Agent, AgentKind
from tribu.core.errors import Conflict, NotFound, PermissionDenied, TribuError
from tribu.ledger.models import EconomicEvent, EconomicResource, ResourceKind
from tribu.ledger.services import Flow, acts_for, correct_event, record_event
from tribu.platforms.access import agent_is_steward, check_member
from tribu.platforms.models import Platform, Role

from ..models import (
    Booking,
    BookingStatus,
)
from .settings import _same_platform, aware, local_zone, place_of, space_settings, when

logger = logging.getLogger(__name__)
# Resources booked by the hour keep to the opening hours; rooms are slept in.
OPENING_HOURS_KINDS = {ResourceKind.MEETING_ROOM}
WORKING_DAYS_PER_MONTH = 21


def book(
    platform: Platform,
    actor: Agent,
    resource: EconomicResource,
    start: datetime,
    end: datetime,
    *,
    beneficiary: Agent | None = None,
    note: str = "",
) -> Booking:
    """Book `resource` over [start, end) for `beneficiary` (the actor by default).

    Never two overlapping active bookings of one resource: the check and the insert run
    in one transaction that holds SQLite's write lock from BEGIN (IMMEDIATE mode); on
    PostgreSQL the exclusion constraint refuses whatever slips between the two.
    """
    start, end = aware(platform, start), aware(platform, end)
    beneficiary = beneficiary or actor
    note = (note or "").strip()
    role = check_member(platform, actor)
    _check_booking(platform, actor, role, resource, start, end, beneficiary, note)
    try:
        with transaction.atomic():
            _lock(resource)
            _refuse_overlap(platform, resource, start, end)
            return Booking.objects.create(
                platform=platform,
                resource=resource,
                booked_by=actor,
                beneficiary=beneficiary,
                start=start,
                end=end,
                note=note,
            )
    except IntegrityError as exc:
        # The exclusion constraint: someone took the slot between the check and the insert.
        _refuse_overlap(platform, resource, start, end)
        raise Conflict(
            _("“%(resource)s” was just booked by someone else for that time")
            % {"resource": resource.name}
        ) from exc


def _lock(resource: EconomicResource) -> None:
    """One booking of a resource at a time. On PostgreSQL, two transactions inserting
    overlapping rows wait for each other inside the exclusion constraint's check, and
    one of them dies of a deadlock instead of a clear conflict; locking the resource's row
    first makes them take turns (SQLite's IMMEDIATE transactions already do)."""
    list(EconomicResource.objects.select_for_update().filter(pk=resource.pk).values_list("pk"))


def _refuse_overlap(platform, resource, start, end) -> None:
    clash = (
        Booking.objects.filter(
            platform=platform,
            resource=resource,
            status=BookingStatus.ACTIVE,
            start__lt=end,
            end__gt=start,
        )
        .order_by("start")
        .first()
    )
    if clash:
        raise Conflict(
            _("“%(resource)s” is already booked from %(start)s to %(end)s")
            % {
                "resource": resource.name,
                "start": when(platform, clash.start),
                "end": when(platform, clash.end),
            }
        )


def _check_booking(platform, actor, role, resource, start, end, beneficiary, note) -> None:
    if resource.platform_id != platform.pk:
        raise NotFound(_("no resource “%(slug)s” in this platform") % {"slug": resource.slug})
    _same_platform(platform, beneficiary, "beneficiary")
    if end <= start:
        raise TribuError(
            _("the end (%(end)s) must come after the start (%(start)s)")
            % {"end": when(platform, end), "start": when(platform, start)}
        )
    if beneficiary.pk != actor.pk:
        _check_on_behalf(actor, resource, beneficiary, note)
    if resource.kind in OPENING_HOURS_KINDS:
        _check_opening_hours(platform, resource, start, end)
    if role == Role.GUEST:
        _check_guest_hours(platform, actor, start, end)


def _check_on_behalf(actor, resource, beneficiary, note) -> None:
    """Staff book for the organization they represent (a colleague passing through);
    stewards book for anyone."""
    if not (acts_for(actor, beneficiary) or agent_is_steward(actor)):
        raise PermissionDenied(
            _("“%(actor)s” may not book on behalf of %(name)s")
            % {"actor": actor.slug, "name": beneficiary.name}
        )
    if (
        beneficiary.kind == AgentKind.ORGANIZATION
        and resource.kind == ResourceKind.ROOM
        and not note
    ):
        raise TribuError(
            _("note: name the colleague who will stay in “%(resource)s”")
            % {"resource": resource.name}
        )


def _check_opening_hours(platform, resource, start, end) -> None:
    rules = space_settings(platform)
    zone = local_zone(platform)
    local_start, local_end = timezone.localtime(start, zone), timezone.localtime(end, zone)
    closes_next_day = local_end.date() != local_start.date() and local_end.time() != rules.opens_at
    if (
        local_start.time() < rules.opens_at
        or closes_next_day
        or (local_end.date() == local_start.date() and local_end.time() > rules.closes_at)
    ):
        raise TribuError(
            _("“%(resource)s” can be booked between %(opens)s and %(closes)s")
            % {
                "resource": resource.name,
                "opens": rules.opens_at.strftime("%H:%M"),
                "closes": rules.closes_at.strftime("%H:%M"),
            }
        )


def _check_guest_hours(platform, actor, start, end) -> None:
    """Guests may book a few hours a week (the platform's setting), counted per ISO week."""
    limit = space_settings(platform).guest_max_hours_per_week
    local = timezone.localtime(start, local_zone(platform))
    week_start = timezone.make_aware(
        datetime.combine(local.date() - timedelta(days=local.weekday()), datetime.min.time()),
        local_zone(platform),
    )
    week_end = week_start + timedelta(days=7)
    taken = Booking.objects.filter(
        platform=platform,
        booked_by=actor,
        status=BookingStatus.ACTIVE,
        start__lt=week_end,
        end__gt=week_start,
    )
    hours = sum(((b.end - b.start).total_seconds() for b in taken), 0.0) / 3600
    asked = (end - start).total_seconds() / 3600
    if hours + asked > limit:
        raise PermissionDenied(
            _("guests may book %(limit)s hours a week; %(taken)s already booked that week")
            % {"limit": limit, "taken": f"{hours:g}"}
        )


def may_manage_booking(booking: Booking, actor: Agent) -> bool:
    return actor.platform_id == booking.platform_id and (
        acts_for(actor, booking.booked_by)
        or acts_for(actor, booking.beneficiary)
        or agent_is_steward(actor)
    )


def cancel_booking(
    booking: Booking, actor: Agent, reason: str = "", *, _for_gathering: bool = False
) -> Booking:
    """Cancel; if the booking already flowed into the ledger, correct that event to zero."""
    if not may_manage_booking(booking, actor):
        raise PermissionDenied(_("“%(slug)s” may not cancel this booking") % {"slug": actor.slug})
    if hasattr(booking, "gathering") and not _for_gathering:
        raise Conflict(
            _("this booking holds the gathering “%(title)s”: cancel the gathering")
            % {"title": booking.gathering.title}
        )
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if not booking.is_active:
            raise Conflict(_("this booking is already cancelled"))
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.cancel_reason = (reason or "").strip()
        booking.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        _correct_use(booking, booking.cancel_reason)
    return booking


def _correct_use(booking: Booking, reason: str) -> None:
    event = EconomicEvent.objects.filter(
        platform=booking.platform, import_key=booking.source_key
    ).first()
    if event is None:
        return
    platform = booking.platform
    why = _("booking cancelled after the fact") + (f": {reason}" if reason else "")
    correct_event(
        event,
        place_of(platform),
        Flow(
            action=event.action,
            provider=event.provider,
            receiver=event.receiver,
            specification=event.resource_conforms_to,
            quantity=Decimal(0),
            occurred=event.has_beginning or event.occurred_on,
            ends=event.has_end,
            resource=booking.resource,
            import_key=f"{booking.source_key}:cancelled",
            source=booking.source_key,
        ),
        why,
        system=True,
    )


# --- bookings become flows ------------------------------------------------------


def use_quantity(booking: Booking) -> Decimal:
    """The booking's length in its specification's unit, as the ledger counts it."""
    unit = booking.resource.conforms_to.unit
    zone = local_zone(booking.platform)
    start = timezone.localtime(booking.start, zone)
    end = timezone.localtime(booking.end, zone)
    hours = Decimal((booking.end - booking.start).total_seconds()) / 3600
    last_day = (end - timedelta(microseconds=1)).date()
    days_touched = (last_day - start.date()).days + 1
    if unit == "night":
        return Decimal(max((end.date() - start.date()).days, 1))
    if unit == "hour":
        return hours.quantize(Decimal("0.01"))
    if unit == "day":
        # Venues are hired by the half-day: a three-hour apéro is half a day.
        half_days = Decimal(math.ceil(hours / 4)) / 2
        return min(half_days, Decimal(days_touched))
    if unit == "desk-month":
        return (Decimal(days_touched) / WORKING_DAYS_PER_MONTH).quantize(Decimal("0.0001"))
    return Decimal(1)


def record_use(booking: Booking, now: datetime | None = None) -> EconomicEvent | None:
    """The `use` event of a booking that took place; the same event however often it runs."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("platform__place", "resource__conforms_to", "beneficiary")
            .get(pk=booking.pk)
        )
        if not booking.is_active or not booking.counts_as_use or booking.end > now:
            return None
        platform = booking.platform
        event, _created = record_event(
            platform,
            place_of(platform),
            Flow(
                action="use",
                provider=place_of(platform),
                receiver=booking.beneficiary,
                specification=booking.resource.conforms_to,
                quantity=use_quantity(booking),
                occurred=booking.start,
                ends=booking.end,
                resource=booking.resource,
                note=booking.note,
                evidence=booking_link(booking),
                import_key=booking.source_key,
                source=booking.source_key,
            ),
            system=True,
        )
        return event


def booking_link(booking: Booking) -> str:
    """Where the booking shows: its resource's calendar, the week it started."""
    start = timezone.localtime(booking.start, local_zone(booking.platform)).date()
    monday = start - timedelta(days=start.weekday())
    url = reverse("spaces-resource-calendar", args=[booking.platform.slug, booking.resource.slug])
    return f"{url}?week={monday.isoformat()}"


def bookings_to_ledger(now: datetime | None = None, platform: Platform | None = None) -> int:
    """Record every booking that took place and is not in the ledger yet; returns how many."""
    now = now or timezone.now()
    done = EconomicEvent.objects.filter(import_key__startswith="booking:")
    pending = Booking.objects.filter(status=BookingStatus.ACTIVE, counts_as_use=True, end__lte=now)
    if platform is not None:
        done, pending = done.filter(platform=platform), pending.filter(platform=platform)
    recorded = set(done.values_list("platform_id", "import_key"))
    created = 0
    for booking in pending.order_by("end", "id").iterator():
        if (booking.platform_id, booking.source_key) in recorded:
            continue
        try:
            created += record_use(booking, now) is not None
        except TribuError as error:  # one bad booking must not hold back the others
            logger.warning("booking %s not recorded: %s", booking.pk, error)
    return created

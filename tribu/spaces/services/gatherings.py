"""Gatherings held in the space: their booking, registrations, waiting list, check-in."""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.agents.models import Agent, AgentKind
from tribu.core.errors import Conflict, PermissionDenied, TribuError
from tribu.ledger.models import EconomicResource, ResourceKind
from tribu.ledger.services import acts_for
from tribu.platforms.access import ORGANIZER_ROLES, agent_is_steward, check_member
from tribu.platforms.models import Platform

from ..models import (
    Gathering,
    GatheringKind,
    Registration,
    RegistrationStatus,
)
from .bookings import book, cancel_booking
from .invoicing import issue_invoice
from .settings import _same_platform

GATHERING_RESOURCES = {ResourceKind.EVENT_SPACE, ResourceKind.MEETING_ROOM}


def create_gathering(
    platform: Platform,
    actor: Agent,
    *,
    kind: str,
    title: str,
    resource: EconomicResource,
    start: datetime,
    end: datetime,
    capacity: int | None = None,
    description: str = "",
    on_behalf_of: Agent | None = None,
    client: Agent | None = None,
    price: Decimal | None = None,
    is_public: bool = True,
    invoiced_on: date | None = None,
) -> Gathering:
    """A gathering and its booking; a learning expedition also gets its invoice."""
    check_member(platform, actor, ORGANIZER_ROLES)
    title = (title or "").strip()
    if kind not in GatheringKind.values:
        raise TribuError(
            _("unknown kind “%(kind)s” (expected one of: %(choices)s)")
            % {"kind": kind, "choices": ", ".join(GatheringKind.values)}
        )
    if not title:
        raise TribuError(_("title: missing"))
    if resource.kind not in GATHERING_RESOURCES:
        raise TribuError(_("“%(resource)s” is not a place for gatherings") % {"resource": resource})
    capacity = resource.capacity if capacity is None else int(capacity)
    if not 1 <= capacity <= resource.capacity:
        raise TribuError(
            _("capacity: between 1 and %(max)s people in “%(resource)s”")
            % {"max": resource.capacity, "resource": resource.name}
        )
    expedition = kind == GatheringKind.LEARNING_EXPEDITION
    if expedition:
        on_behalf_of = _check_expedition(platform, actor, client, price)
    with transaction.atomic():
        booking = book(
            platform, actor, resource, start, end, beneficiary=on_behalf_of or actor, note=title
        )
        if expedition:
            booking.counts_as_use = False
            booking.save(update_fields=["counts_as_use"])
        gathering = Gathering.objects.create(
            platform=platform,
            kind=kind,
            title=title,
            description=description,
            organizer=actor,
            booking=booking,
            capacity=capacity,
            is_public=is_public,
            client=client if expedition else None,
            price=price if expedition else None,
        )
        if expedition:
            issue_invoice(gathering, issued_on=invoiced_on)
    return gathering


def _check_expedition(platform, actor, client, price) -> Agent:
    """A learning expedition is billed by the host: its staff or a steward organise it."""
    host = platform.host
    if host is None:
        raise TribuError(_("this platform has no host to bill learning expeditions"))
    if not (agent_is_steward(actor) or acts_for(actor, host)):
        raise PermissionDenied(
            _("only the host's staff or a facilitator bill learning expeditions")
        )
    if client is None or client.kind != AgentKind.ORGANIZATION:
        raise TribuError(_("client: a learning expedition needs a client organization"))
    _same_platform(platform, client, "client")
    if price is None or Decimal(price) <= 0:
        raise TribuError(_("price: a learning expedition needs a price above zero"))
    return host


def cancel_gathering(gathering: Gathering, actor: Agent, reason: str = "") -> Gathering:
    if not may_organize(gathering, actor):
        raise PermissionDenied(_("only the organizer or a facilitator may cancel a gathering"))
    if gathering.cancelled:
        raise Conflict(_("this gathering is already cancelled"))
    if hasattr(gathering, "invoice"):
        raise Conflict(
            _("invoice %(ref)s was issued for this gathering")
            % {"ref": gathering.invoice.reference}
        )
    with transaction.atomic():
        gathering.cancelled = True
        gathering.save(update_fields=["cancelled"])
        cancel_booking(gathering.booking, actor, reason, _for_gathering=True)
    return gathering


def may_organize(gathering: Gathering, actor: Agent) -> bool:
    return actor.platform_id == gathering.platform_id and (
        acts_for(actor, gathering.organizer) or agent_is_steward(actor)
    )


def register(gathering: Gathering, actor: Agent, agent: Agent | None = None) -> Registration:
    """A seat if one is free, else a place on the waiting list (first come, first served)."""
    agent = agent or actor
    platform = gathering.platform
    check_member(platform, actor)
    _same_platform(platform, agent, "agent")
    if not (acts_for(actor, agent) or may_organize(gathering, actor)):
        raise PermissionDenied(
            _("“%(actor)s” may not register %(name)s") % {"actor": actor.slug, "name": agent.name}
        )
    with transaction.atomic():
        gathering = (
            Gathering.objects.select_for_update().select_related("booking").get(pk=gathering.pk)
        )
        if gathering.cancelled or gathering.end <= timezone.now():
            raise Conflict(_("registration is closed for “%(title)s”") % {"title": gathering})
        status = (
            RegistrationStatus.REGISTERED
            if _seats_taken(gathering) < gathering.capacity
            else RegistrationStatus.WAITING
        )
        registration = Registration.objects.filter(gathering=gathering, agent=agent).first()
        if registration and registration.status != RegistrationStatus.CANCELLED:
            raise Conflict(
                _("%(name)s is already registered (%(status)s)")
                % {"name": agent.name, "status": registration.get_status_display()}
            )
        if registration:  # back at the end of the queue
            registration.delete()
        return Registration.objects.create(
            platform=platform, gathering=gathering, agent=agent, status=status
        )


def _seats_taken(gathering: Gathering) -> int:
    return gathering.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def cancel_registration(registration: Registration, actor: Agent) -> Registration:
    """Free the seat and give it to the first person on the waiting list."""
    gathering = registration.gathering
    if not (acts_for(actor, registration.agent) or may_organize(gathering, actor)):
        raise PermissionDenied(
            _("“%(slug)s” may not cancel this registration") % {"slug": actor.slug}
        )
    with transaction.atomic():
        Gathering.objects.select_for_update().get(pk=gathering.pk)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise Conflict(_("this registration is already cancelled"))
        freed = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status"])
        if freed:
            _promote(gathering)
    return registration


def _promote(gathering: Gathering) -> None:
    waiting = gathering.registrations.filter(status=RegistrationStatus.WAITING).first()
    if waiting and _seats_taken(gathering) < gathering.capacity:
        waiting.status = RegistrationStatus.REGISTERED
        waiting.save(update_fields=["status"])


def check_in(registration: Registration, actor: Agent) -> Registration:
    if not may_organize(registration.gathering, actor):
        raise PermissionDenied(_("only the organizer or a facilitator checks people in"))
    if registration.status != RegistrationStatus.REGISTERED:
        raise Conflict(
            _("%(name)s has no seat (%(status)s)")
            % {"name": registration.agent.name, "status": registration.get_status_display()}
        )
    if registration.checked_in_at:
        raise Conflict(_("%(name)s is already checked in") % {"name": registration.agent.name})
    registration.checked_in_at = timezone.now()
    registration.save(update_fields=["checked_in_at"])
    return registration

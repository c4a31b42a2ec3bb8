"""The only write path for bookings, gatherings, invoices and residency terms.

Pages, the API, the management commands and the demo call these functions. Each one
checks who acts, validates, raises a `TribuError` naming what is wrong, and writes
nothing unless everything is valid. Whatever reaches the ledger goes through
`tribu.ledger.services`.
"""

import logging
import math
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tribu.agents.models import Agent, AgentKind
from tribu.core.errors import Conflict, NotFound, PermissionDenied, TribuError
from tribu.ledger.catalogue import current_values
from tribu.ledger.models import EconomicEvent, EconomicResource, ResourceKind
from tribu.ledger.models import ResourceSpecification as Spec
from tribu.ledger.services import Flow, acts_for, correct_event, record_event, role_of
from tribu.platforms.access import MEMBER_ROLES, STEWARDS
from tribu.platforms.models import Platform, Role

from . import invoice_history
from .models import (
    Booking,
    BookingStatus,
    FeedToken,
    Gathering,
    GatheringKind,
    Invoice,
    InvoiceCounter,
    LegalDetails,
    Registration,
    RegistrationStatus,
    ResidencyAgreement,
    SpaceSettings,
)

logger = logging.getLogger(__name__)
ORGANIZER_ROLES = {Role.HOST, Role.FACILITATOR, Role.RESIDENT, Role.NEWCOMER}
GATHERING_RESOURCES = {ResourceKind.EVENT_SPACE, ResourceKind.MEETING_ROOM}
# Resources booked by the hour keep to the opening hours; rooms are slept in.
OPENING_HOURS_KINDS = {ResourceKind.MEETING_ROOM}
HOURS_PER_DAY = 7  # a French working day (35 hours a week)
WORKING_DAYS_PER_MONTH = 21
MAX_RESIDENCY_MONTHS = 12
CONTRIBUTION_SPECS = ("contribution-day", "volunteer-hour")


# --- helpers --------------------------------------------------------------------


def space_settings(platform: Platform) -> SpaceSettings:
    settings, _created = SpaceSettings.objects.get_or_create(platform=platform)
    return settings


def local_zone(platform: Platform) -> ZoneInfo:
    return ZoneInfo(platform.time_zone)


def aware(platform: Platform, moment: datetime) -> datetime:
    """A naive time is read in the platform's time zone (what its calendar shows)."""
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, local_zone(platform))
    return moment


def when(platform: Platform, moment: datetime) -> str:
    return timezone.localtime(moment, local_zone(platform)).strftime("%Y-%m-%d %H:%M")


def is_steward(agent: Agent) -> bool:
    return role_of(agent) in STEWARDS


def _check_member(platform: Platform, actor: Agent, roles=MEMBER_ROLES) -> str:
    if actor.platform_id != platform.pk:
        raise PermissionDenied(
            _("“%(slug)s” is not a member of this platform") % {"slug": actor.slug}
        )
    role = role_of(actor)
    if role not in roles:
        raise PermissionDenied(
            _("“%(slug)s” may not do this here (role: %(role)s)")
            % {"slug": actor.slug, "role": role or "-"}
        )
    return role


def _same_platform(platform: Platform, agent: Agent | None, name: str) -> None:
    if agent is not None and agent.platform_id != platform.pk:
        raise NotFound(
            _("%(name)s: no agent “%(slug)s” in this platform") % {"name": name, "slug": agent.slug}
        )


# --- resources ------------------------------------------------------------------

DEFAULT_SPECS = {
    ResourceKind.ROOM: "hotel-night",
    ResourceKind.DESK: "desk-month",
    ResourceKind.MEETING_ROOM: "meeting-room-hour",
    ResourceKind.EVENT_SPACE: "event-space-day",
}


def _has_proxy(spec: Spec) -> bool:
    """Whether a booking's use can be valued: a non-market kind with a proxy price."""
    values = current_values(spec.platform_id).get(spec.pk)
    return not spec.market and values is not None and values.proxy_central is not None


def add_resource(
    platform: Platform,
    *,
    name: str,
    kind: str,
    slug: str = "",
    spec: str = "",
    capacity: int = 1,
    beds: int = 0,
    note: str = "",
    actor: Agent | None = None,
) -> EconomicResource:
    """A bookable resource; its specification (by default the usual one for its kind)
    is what values its use. A steward adds it (no actor: the system, as in the demo)."""
    if actor is not None:
        _check_member(platform, actor, STEWARDS)
    if kind not in ResourceKind.values:
        raise TribuError(
            _("unknown kind “%(kind)s” (expected one of: %(choices)s)")
            % {"kind": kind, "choices": ", ".join(ResourceKind.values)}
        )
    slug, name = slugify(slug or name), (name or "").strip()
    if not slug or not name:
        raise TribuError(_("name: missing"))
    spec = spec or DEFAULT_SPECS.get(kind, "")
    if not spec:
        raise TribuError(_("specification: say which kind of value this resource's use is"))
    conforms_to = Spec.objects.filter(platform=platform, slug=spec).first()
    if conforms_to is None:
        raise NotFound(_("no specification “%(slug)s” in this platform") % {"slug": spec})
    if not _has_proxy(conforms_to):
        raise TribuError(
            _("specification: “%(slug)s” has no proxy price to value a booking's use")
            % {"slug": spec}
        )
    if EconomicResource.objects.filter(platform=platform, slug=slug).exists():
        raise Conflict(_("resource “%(slug)s” already exists") % {"slug": slug})
    return EconomicResource.objects.create(
        platform=platform,
        slug=slug,
        name=name,
        kind=kind,
        conforms_to=conforms_to,
        capacity=capacity,
        beds=beds,
        note=note,
    )


# --- bookings -------------------------------------------------------------------


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
    role = _check_member(platform, actor)
    _check_booking(platform, actor, role, resource, start, end, beneficiary, note)
    try:
        with transaction.atomic():
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
    if not (acts_for(actor, beneficiary) or is_steward(actor)):
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
        or is_steward(actor)
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
        platform.place,
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
            platform.place,
            Flow(
                action="use",
                provider=platform.place,
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


def update_space_settings(platform: Platform, *, actor: Agent, **fields) -> SpaceSettings:
    """Opening hours and the guests' weekly allowance; stewards set them."""
    _check_member(platform, actor, STEWARDS)
    unknown = set(fields) - {"opens_at", "closes_at", "guest_max_hours_per_week"}
    if unknown:
        raise TribuError(_("unknown setting(s): %(names)s") % {"names": ", ".join(sorted(unknown))})
    rules = space_settings(platform)
    for name, value in fields.items():
        setattr(rules, name, value)
    if rules.closes_at <= rules.opens_at:
        raise TribuError(
            _("the place must open (%(opens)s) before it closes (%(closes)s)")
            % {
                "opens": rules.opens_at.strftime("%H:%M"),
                "closes": rules.closes_at.strftime("%H:%M"),
            }
        )
    rules.save()
    return rules


# --- gatherings -----------------------------------------------------------------


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
    _check_member(platform, actor, ORGANIZER_ROLES)
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
    if not (is_steward(actor) or acts_for(actor, host)):
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
        acts_for(actor, gathering.organizer) or is_steward(actor)
    )


def register(gathering: Gathering, actor: Agent, agent: Agent | None = None) -> Registration:
    """A seat if one is free, else a place on the waiting list (first come, first served)."""
    agent = agent or actor
    platform = gathering.platform
    _check_member(platform, actor)
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


# --- invoices -------------------------------------------------------------------


def issue_invoice(gathering: Gathering, issued_on: date | None = None) -> Invoice:
    """The invoice of a learning expedition, with the platform's next number.

    The number is taken from a per-platform counter row locked until the invoice is
    written: two invoices never share a number and a failed one leaves no gap.
    """
    platform = gathering.platform
    if gathering.kind != GatheringKind.LEARNING_EXPEDITION or gathering.client is None:
        raise TribuError(_("only learning expeditions are invoiced"))
    with transaction.atomic():
        if Invoice.objects.filter(gathering=gathering).exists():
            raise Conflict(_("“%(title)s” is already invoiced") % {"title": gathering.title})
        InvoiceCounter.objects.get_or_create(platform=platform)
        counter = InvoiceCounter.objects.select_for_update().get(platform=platform)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        invoice = Invoice.objects.create(
            platform=platform,
            number=counter.last_number,
            gathering=gathering,
            client=gathering.client,
            issuer=platform.host,
            amount=gathering.price,
            currency=platform.currency,
            issued_on=issued_on or timezone.localdate(),
        )
        return invoice_history.record(invoice)


INVOICING_TERMS = ("vat_rate", "vat_exemption", "payment_days", "late_penalty_rate")


def update_invoicing(platform: Platform, *, actor: Agent, seller: dict, terms: dict):
    """The seller's legal details (the host organization) and the platform's invoicing
    terms; the host's staff or a facilitator set them."""
    if not may_manage_invoices(platform, actor):
        raise PermissionDenied(_("only the host's staff or a facilitator set invoicing details"))
    rules = space_settings(platform)
    for name in INVOICING_TERMS:
        setattr(rules, name, terms.get(name))
    rules.vat_exemption = (rules.vat_exemption or "").strip()
    with transaction.atomic():
        rules.save()
        set_legal_details(platform.host, **seller)
    return rules


def set_legal_details(agent: Agent, *, legal_name: str, address: str, siret: str, vat_number: str):
    """An organization's legal name, address, SIRET and VAT number, as invoices print them."""
    siret = "".join((siret or "").split())
    if siret and (len(siret) != 14 or not siret.isdigit()):
        raise TribuError(_("A SIRET number has 14 digits (the first nine are the SIREN)."))
    details, _created = LegalDetails.objects.update_or_create(
        platform_id=agent.platform_id,
        agent=agent,
        defaults={
            "legal_name": (legal_name or agent.name).strip(),
            "address": (address or "").strip(),
            "siret": siret,
            "vat_number": "".join((vat_number or "").split()).upper(),
        },
    )
    return details


def may_manage_invoices(platform: Platform, actor: Agent) -> bool:
    return actor.platform_id == platform.pk and (
        is_steward(actor) or (platform.host is not None and acts_for(actor, platform.host))
    )


def mark_invoice_paid(invoice: Invoice, actor: Agent, paid_on: date | None = None) -> Invoice:
    """Paid: the client's money reaches the host, a market transfer in the ledger."""
    platform = invoice.platform
    if not may_manage_invoices(platform, actor):
        raise PermissionDenied(_("only the host's staff or a facilitator mark invoices paid"))
    paid_on = paid_on or timezone.localdate()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.is_paid:
            raise Conflict(
                _("invoice %(ref)s is already paid (%(day)s)")
                % {"ref": invoice.reference, "day": invoice.paid_on}
            )
        if paid_on < invoice.issued_on:
            raise TribuError(
                _("paid on %(day)s: before invoice %(ref)s was issued (%(issued)s)")
                % {"day": paid_on, "ref": invoice.reference, "issued": invoice.issued_on}
            )
        invoice.paid_on = paid_on
        invoice.save(update_fields=["paid_on"])
        invoice_history.record(invoice, by=actor)
        record_event(
            platform,
            platform.place,
            Flow(
                action="transfer",
                provider=invoice.client,
                receiver=invoice.issuer,
                specification=Spec.objects.get(platform=platform, slug="learning-expedition"),
                quantity=Decimal(1),
                occurred=paid_on,
                money_amount=invoice.amount,
                note=_("Invoice %(ref)s: %(title)s")
                % {"ref": invoice.reference, "title": invoice.gathering.title},
                evidence=reverse("spaces-invoice-pdf", args=[platform.slug, invoice.pk]),
                import_key=invoice.source_key,
                source=invoice.source_key,
            ),
            system=True,
        )
    return invoice


# --- residency terms ------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has 28 days


def create_agreement(
    platform: Platform,
    actor: Agent,
    resident: Agent,
    *,
    start: date,
    end: date,
    days_owed_per_month,
    note: str = "",
) -> ResidencyAgreement:
    """A resident's terms; a facilitator or the host sets them, for at most twelve months."""
    _check_member(platform, actor, STEWARDS)
    _same_platform(platform, resident, "resident")
    if end <= start:
        raise TribuError(
            _("the end (%(end)s) must come after the start (%(start)s)")
            % {"end": end, "start": start}
        )
    latest = add_months(start, MAX_RESIDENCY_MONTHS)
    if end > latest:
        raise TribuError(
            _("a residency lasts at most 12 months: end by %(latest)s") % {"latest": latest}
        )
    days = Decimal(str(days_owed_per_month))
    if not Decimal(0) <= days <= Decimal(31):
        raise TribuError(_("days owed per month: between 0 and 31, not %(d)s") % {"d": days})
    overlapping = ResidencyAgreement.objects.filter(
        platform=platform, resident=resident, start__lt=end, end__gt=start
    ).first()
    if overlapping:
        raise Conflict(
            _("%(name)s already has an agreement from %(start)s to %(end)s")
            % {"name": resident.name, "start": overlapping.start, "end": overlapping.end}
        )
    return ResidencyAgreement.objects.create(
        platform=platform,
        resident=resident,
        start=start,
        end=end,
        days_owed_per_month=days,
        note=note,
    )


def contribution_spec(platform: Platform) -> Spec:
    specs = {s.slug: s for s in Spec.objects.filter(platform=platform, slug__in=CONTRIBUTION_SPECS)}
    for slug in CONTRIBUTION_SPECS:
        if slug in specs:
            return specs[slug]
    raise NotFound(_("the catalogue has no “contribution-day” nor “volunteer-hour”"))


def log_contribution(
    platform: Platform, actor: Agent, resident: Agent, *, day: date, days, note: str = ""
) -> EconomicEvent:
    """Days a resident gave in exchange for the residency: a `work` event to the host that
    carries the place (the place itself when there is none), proposed until someone who
    acts for it confirms."""
    _same_platform(platform, resident, "resident")
    if not (acts_for(actor, resident) or is_steward(actor)):
        raise PermissionDenied(
            _("“%(actor)s” may not log contributions for %(name)s")
            % {"actor": actor.slug, "name": resident.name}
        )
    agreement = ResidencyAgreement.objects.filter(
        platform=platform, resident=resident, start__lte=day, end__gt=day
    ).first()
    if agreement is None:
        raise TribuError(
            _("%(name)s has no residency agreement on %(day)s")
            % {"name": resident.name, "day": day}
        )
    days = Decimal(str(days))
    if days <= 0:
        raise TribuError(_("days: must be above zero"))
    spec = contribution_spec(platform)
    quantity = days * HOURS_PER_DAY if spec.unit == "hour" else days
    event, _created = record_event(
        platform,
        actor,
        Flow(
            action="work",
            provider=resident,
            receiver=platform.host or platform.place,
            specification=spec,
            quantity=quantity,
            occurred=day,
            effort_quantity=days * HOURS_PER_DAY,
            note=note,
            source=f"residency:{agreement.pk}",
        ),
    )
    return event


# --- private calendar feeds -----------------------------------------------------


def feed_token(agent: Agent) -> FeedToken:
    token, _created = FeedToken.objects.get_or_create(
        agent=agent, defaults={"platform_id": agent.platform_id}
    )
    return token


def regenerate_feed_token(agent: Agent) -> FeedToken:
    """A new secret: the old calendar URL stops working at once."""
    FeedToken.objects.filter(agent=agent).delete()
    return feed_token(agent)


def my_bookings(platform: Platform, agent: Agent):
    represented = agent.represents.values_list("pk", flat=True)
    return (
        Booking.objects.filter(platform=platform)
        .filter(Q(booked_by=agent) | Q(beneficiary=agent) | Q(beneficiary__in=represented))
        .select_related("resource", "beneficiary", "booked_by")
    )

"""The space through the API: resources and rules, bookings and the private calendar,
gatherings, invoices and invoicing details, residency terms, contributions and balances.

Mount with `api.add_router("", tribu.spaces.api.router)`. Every write calls
`tribu.spaces.services`, exactly as the pages do; `TribuError`s become JSON errors
through the API's handlers.
"""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Literal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tribu.api.access import optional_agent
from tribu.api.auth import PUBLIC, TOKEN, user_of
from tribu.api.schemas import ERRORS, BodyIn, Day, ErrorOut, Moment, Money, Text
from tribu.core.errors import NotFound
from tribu.ledger.models import EconomicResource, ResourceKind
from tribu.ledger.services import current_status
from tribu.platforms.access import STEWARDS, access_member, access_platform
from tribu.platforms.models import Platform

from . import access, residency, services
from .models import Booking, Gathering, Invoice, LegalDetails, Registration

router = Router(tags=["spaces"])
PLATFORM = "/platforms/{slug}"
MAX_COUNT = 2**31 - 1  # a positive integer column, on every database


class ResourceOut(Schema):
    slug: str
    name: str
    kind: str
    specification: str
    unit: str
    capacity: int
    beds: int


class BookingIn(BodyIn):
    resource: str
    start: Moment
    end: Moment
    beneficiary: str | None = None
    note: Annotated[Text, Field(max_length=300)] = ""


class BookingOut(Schema):
    id: int
    resource: str
    start: datetime
    end: datetime
    booked_by: str
    beneficiary: str
    note: str
    status: str


class CancelIn(BodyIn):
    reason: Annotated[Text, Field(max_length=300)] = ""


class GatheringOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    resource: str
    start: datetime
    end: datetime
    organizer: str
    capacity: int
    registered: int


class GatheringIn(BodyIn):
    kind: str
    title: Annotated[Text, Field(min_length=1, max_length=200)]
    resource: str
    start: Moment
    end: Moment
    description: Text = ""
    capacity: int | None = None
    on_behalf_of: str | None = None
    client: str | None = None
    price: Money | None = None
    is_public: bool = True


class RegistrationOut(Schema):
    id: int
    gathering: int
    agent: str
    status: str


class InvoiceOut(Schema):
    id: int
    number: int
    reference: str
    client: str
    gathering: int
    amount: Decimal
    currency: str
    issued_on: date
    paid_on: date | None


class PaidIn(BodyIn):
    paid_on: Day | None = None


class BalanceOut(Schema):
    agreement_id: int
    resident: str
    resident_name: str
    start: date
    end: date
    active: bool
    days_owed_per_month: Decimal
    months_completed: int
    owed: Decimal
    owed_whole_term: Decimal
    given: Decimal
    pending: Decimal
    balance: Decimal


def resource_in(platform: Platform, slug: str) -> EconomicResource:
    resource = EconomicResource.objects.filter(platform=platform, slug=slug).first()
    if resource is None:
        raise NotFound(_("no resource “%(slug)s” in this platform") % {"slug": slug})
    return resource


def booking_out(b: Booking) -> dict:
    return {
        "id": b.pk,
        "resource": b.resource.slug,
        "start": b.start,
        "end": b.end,
        "booked_by": b.booked_by.slug,
        "beneficiary": b.beneficiary.slug,
        "note": b.note,
        "status": b.status,
    }


def gathering_out(g: Gathering) -> dict:
    return {
        "id": g.pk,
        "kind": g.kind,
        "title": g.title,
        "description": g.description,
        "resource": g.booking.resource.slug,
        "start": g.start,
        "end": g.end,
        "organizer": g.organizer.slug,
        "capacity": g.capacity,
        "registered": g.registrations.filter(status="registered").count(),
    }


def registration_out(r: Registration) -> dict:
    return {"id": r.pk, "gathering": r.gathering_id, "agent": r.agent.slug, "status": r.status}


def invoice_out(i: Invoice) -> dict:
    return {
        "id": i.pk,
        "number": i.number,
        "reference": i.reference,
        "client": i.client.slug,
        "gathering": i.gathering_id,
        "amount": i.amount,
        "currency": i.currency,
        "issued_on": i.issued_on,
        "paid_on": i.paid_on,
    }


@router.get(
    PLATFORM + "/resources", response={200: list[ResourceOut], ERRORS: ErrorOut}, auth=PUBLIC
)
def list_resources(request, slug: str):
    platform = access_platform(user_of(request), slug)
    resources = EconomicResource.objects.filter(platform=platform).select_related("conforms_to")
    return [
        {
            "slug": r.slug,
            "name": r.name,
            "kind": r.kind,
            "specification": r.conforms_to.slug,
            "unit": r.conforms_to.unit,
            "capacity": r.capacity,
            "beds": r.beds,
        }
        for r in resources
    ]


@router.get(PLATFORM + "/bookings", response={200: list[BookingOut], ERRORS: ErrorOut}, auth=TOKEN)
def list_my_bookings(request, slug: str):
    """The caller's bookings, and those made for organizations they represent."""
    platform, actor, _role = access_member(user_of(request), slug, area="gatherings")
    return [booking_out(b) for b in services.my_bookings(platform, actor).order_by("start")]


@router.post(PLATFORM + "/bookings", response={201: BookingOut, ERRORS: ErrorOut}, auth=TOKEN)
def create_booking(request, slug: str, data: BookingIn):
    platform, actor, _role = access_member(user_of(request), slug, area="gatherings")
    booking = services.book(
        platform,
        actor,
        resource_in(platform, data.resource),
        data.start,
        data.end,
        beneficiary=optional_agent(platform, data.beneficiary, "beneficiary"),
        note=data.note,
    )
    return 201, booking_out(booking)


@router.post(
    PLATFORM + "/bookings/{booking_id}/cancel",
    response={200: BookingOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def cancel_booking(request, slug: str, booking_id: int, data: CancelIn):
    booking, actor = access.access_booking(user_of(request), slug, booking_id)
    return booking_out(services.cancel_booking(booking, actor, data.reason))


@router.get(
    PLATFORM + "/gatherings", response={200: list[GatheringOut], ERRORS: ErrorOut}, auth=PUBLIC
)
def list_gatherings(request, slug: str):
    platform = access_platform(user_of(request), slug)
    gatherings = Gathering.objects.filter(
        platform=platform, cancelled=False, is_public=True
    ).select_related("booking__resource", "organizer")
    return [gathering_out(g) for g in gatherings]


@router.post(PLATFORM + "/gatherings", response={201: GatheringOut, ERRORS: ErrorOut}, auth=TOKEN)
def create_gathering(request, slug: str, data: GatheringIn):
    """A gathering books its space; a learning expedition (client, price) is invoiced."""
    platform, actor, _role = access_member(user_of(request), slug, area="gatherings")
    gathering = services.create_gathering(
        platform,
        actor,
        kind=data.kind,
        title=data.title,
        description=data.description,
        resource=resource_in(platform, data.resource),
        start=data.start,
        end=data.end,
        capacity=data.capacity,
        on_behalf_of=optional_agent(platform, data.on_behalf_of, "on_behalf_of"),
        client=optional_agent(platform, data.client, "client"),
        price=data.price,
        is_public=data.is_public,
    )
    return 201, gathering_out(gathering)


@router.post(
    PLATFORM + "/gatherings/{gathering_id}/registrations",
    response={201: RegistrationOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def register(request, slug: str, gathering_id: int):
    """A seat, or a place on the waiting list when the gathering is full."""
    _platform, actor, _role = access_member(user_of(request), slug, area="gatherings")
    gathering = access.access_gathering(user_of(request), slug, gathering_id)
    return 201, registration_out(services.register(gathering, actor))


@router.get(PLATFORM + "/invoices", response={200: list[InvoiceOut], ERRORS: ErrorOut}, auth=TOKEN)
def list_invoices(request, slug: str):
    platform, actor, _role = access_member(user_of(request), slug, area="gatherings")
    return [invoice_out(i) for i in access.invoices_visible_to(platform, actor)]


@router.post(
    PLATFORM + "/invoices/{invoice_id}/paid",
    response={200: InvoiceOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def mark_paid(request, slug: str, invoice_id: int, data: PaidIn):
    """Paid: the client's payment to the host enters the ledger as a market transfer."""
    invoice, actor = access.access_invoice(user_of(request), slug, invoice_id)
    return invoice_out(services.mark_invoice_paid(invoice, actor, data.paid_on))


@router.get(
    PLATFORM + "/residency/balances", response={200: list[BalanceOut], ERRORS: ErrorOut}, auth=TOKEN
)
def time_balances(request, slug: str):
    platform, _actor, _role = access_member(user_of(request), slug, STEWARDS)
    return residency.time_balances(platform)


@router.post(
    PLATFORM + "/gatherings/{gathering_id}/cancel",
    response={200: GatheringOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def cancel_gathering(request, slug: str, gathering_id: int, data: CancelIn):
    """The organizer or a facilitator cancels; the people registered are told."""
    _platform, actor, _role = access_member(user_of(request), slug)
    gathering = access.access_gathering(user_of(request), slug, gathering_id)
    return gathering_out(services.cancel_gathering(gathering, actor, data.reason))


@router.post(
    PLATFORM + "/registrations/{registration_id}/cancel",
    response={200: RegistrationOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def cancel_registration(request, slug: str, registration_id: int):
    """Free the seat; the first person waiting takes it."""
    registration, actor = access.access_registration(user_of(request), slug, registration_id)
    return registration_out(services.cancel_registration(registration, actor))


@router.post(
    PLATFORM + "/registrations/{registration_id}/check-in",
    response={200: RegistrationOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def check_in(request, slug: str, registration_id: int):
    registration, actor = access.access_registration(user_of(request), slug, registration_id)
    return registration_out(services.check_in(registration, actor))


# --- the actions the pages offer, each through the same service ----------------


class NewResourceIn(BodyIn):
    name: Text = Field(max_length=200)
    kind: Literal[tuple(ResourceKind.values)]  # type: ignore[valid-type]
    spec: Text = Field("", description="Empty: the usual one for its kind.", max_length=50)
    capacity: int = Field(1, ge=1, le=MAX_COUNT)
    beds: int = Field(0, ge=0, le=MAX_COUNT)
    note: Text = ""


class SpaceSettingsIn(BodyIn):
    opens_at: time
    closes_at: time
    guest_max_hours_per_week: int = Field(ge=0, le=MAX_COUNT)


class SpaceSettingsOut(Schema):
    opens_at: time
    closes_at: time
    guest_max_hours_per_week: int


class FeedOut(Schema):
    url: str


class ContributionIn(BodyIn):
    day: Day
    days: Decimal = Field(gt=0, max_digits=4, decimal_places=1)
    note: Text = Field("", max_length=300)


class ContributionOut(Schema):
    event: int
    status: str


class AgreementIn(BodyIn):
    start: Day
    end: Day
    days_owed_per_month: Decimal = Field(ge=0, max_digits=4, decimal_places=1)


class InvoicingIn(BodyIn):
    legal_name: Text = Field(max_length=200)
    address: Text
    siret: Text = Field("", max_length=20)
    vat_number: Text = Field("", max_length=20)
    rna: Text | None = Field(None, max_length=20, description="Left as it is when absent.")
    purpose: Text | None = Field(None, description="Left as it is when absent.")
    vat_rate: Decimal = Field(ge=0, le=100, max_digits=5, decimal_places=2)
    vat_exemption: Text = Field("", max_length=200)
    payment_days: int = Field(ge=0, le=60)
    late_penalty_rate: Decimal | None = Field(None, ge=0, max_digits=5, decimal_places=2)


class InvoicingOut(Schema):
    legal_name: str
    address: str
    siret: str
    vat_number: str
    rna: str
    purpose: str
    vat_rate: Decimal
    vat_exemption: str
    payment_days: int
    late_penalty_rate: Decimal | None


def resource_out(r: EconomicResource) -> dict:
    return {
        "slug": r.slug,
        "name": r.name,
        "kind": r.kind,
        "specification": r.conforms_to.slug,
        "unit": r.conforms_to.unit,
        "capacity": r.capacity,
        "beds": r.beds,
    }


def space_settings_out(rules) -> dict:
    return {
        "opens_at": rules.opens_at,
        "closes_at": rules.closes_at,
        "guest_max_hours_per_week": rules.guest_max_hours_per_week,
    }


def invoicing_out(platform: Platform) -> dict:
    rules = services.space_settings(platform)
    details = LegalDetails.objects.filter(agent=platform.host).first()
    return {
        "legal_name": details.legal_name if details else platform.host.name,
        "address": details.address if details else platform.address,
        "siret": details.siret if details else "",
        "vat_number": details.vat_number if details else "",
        "rna": details.rna if details else "",
        "purpose": details.purpose if details else "",
        **{name: getattr(rules, name) for name in services.INVOICING_TERMS},
    }


@router.post(PLATFORM + "/resources", response={201: ResourceOut, ERRORS: ErrorOut}, auth=TOKEN)
def add_resource(request, slug: str, data: NewResourceIn):
    """A bookable room, desk or piece of equipment (stewards)."""
    platform, actor, _role = access_member(user_of(request), slug, STEWARDS)
    resource = services.add_resource(platform, actor=actor, **data.dict())
    return Status(201, resource_out(resource))


@router.put(
    PLATFORM + "/space/settings", response={200: SpaceSettingsOut, ERRORS: ErrorOut}, auth=TOKEN
)
def update_space_settings(request, slug: str, data: SpaceSettingsIn):
    """Opening hours and the guests' weekly allowance (stewards)."""
    platform, actor, _role = access_member(user_of(request), slug, STEWARDS)
    return space_settings_out(services.update_space_settings(platform, actor=actor, **data.dict()))


@router.post(
    PLATFORM + "/space/calendar-token", response={201: FeedOut, ERRORS: ErrorOut}, auth=TOKEN
)
def regenerate_feed(request, slug: str):
    """A new private calendar address for the caller's bookings; the old one stops working."""
    _platform, actor, _role = access_member(user_of(request), slug, area="gatherings")
    token = services.regenerate_feed_token(actor)
    url = request.build_absolute_uri(reverse("spaces-bookings-ics", args=[slug, token.token]))
    return Status(201, {"url": url})


@router.post(
    PLATFORM + "/residency/{agent_slug}/contributions",
    response={201: ContributionOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def contribute(request, slug: str, agent_slug: str, data: ContributionIn):
    """Days a resident gave; they count once someone acting for the place confirms."""
    platform, resident, actor = access.access_resident(user_of(request), slug, agent_slug)
    event = services.log_contribution(
        platform, actor, resident, day=data.day, days=data.days, note=data.note
    )
    return Status(201, {"event": event.pk, "status": current_status(event)})


@router.post(
    PLATFORM + "/residency/{agent_slug}/agreements",
    response={201: BalanceOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def new_agreement(request, slug: str, agent_slug: str, data: AgreementIn):
    """A resident's terms, for at most twelve months (stewards)."""
    platform, resident, actor = access.access_resident(user_of(request), slug, agent_slug)
    agreement = services.create_agreement(platform, actor, resident, **data.dict())
    return Status(201, residency.agreement_balance(agreement))


@router.get(PLATFORM + "/invoicing", response={200: InvoicingOut, ERRORS: ErrorOut}, auth=TOKEN)
def get_invoicing(request, slug: str):
    platform, _actor = access.access_invoicing(user_of(request), slug)
    return invoicing_out(platform)


@router.put(PLATFORM + "/invoicing", response={200: InvoicingOut, ERRORS: ErrorOut}, auth=TOKEN)
def update_invoicing(request, slug: str, data: InvoicingIn):
    """The seller's legal details and the terms every invoice prints (the host's staff or
    a facilitator)."""
    platform, actor = access.access_invoicing(user_of(request), slug)
    given = data.dict()
    seller = {k: given[k] for k in services.SELLER_FIELDS}
    terms = {k: given[k] for k in services.INVOICING_TERMS}
    services.update_invoicing(platform, actor=actor, seller=seller, terms=terms)
    return invoicing_out(platform)

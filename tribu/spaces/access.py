"""Fetch-and-authorise helpers for the space's objects, in the style of
`tribu.platforms.access`: pages and API endpoints get bookings, gatherings, invoices and
agreements only through these. What a visitor may not see does not exist (404)."""

from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import NotFound, PermissionDenied
from tribu.ledger.models import EconomicResource
from tribu.platforms.access import (
    MEMBER_ROLES,
    access_member,
    access_platform,
    agent_is_steward,
    belongs,
)
from tribu.platforms.models import Membership, Platform

from .models import Booking, FeedToken, Gathering, Invoice, Registration, ResidencyAgreement
from .services import may_manage_booking, may_manage_invoices


def access_resource(user, slug: str, resource_slug: str) -> tuple[Platform, EconomicResource]:
    """Resources are shown to whoever may see the platform (its calendar is not private:
    it shows when things are taken, not by whom)."""
    platform = access_platform(user, slug)
    resource = (
        EconomicResource.objects.filter(platform=platform, slug=resource_slug)
        .select_related("conforms_to")
        .first()
    )
    if resource is None:
        raise NotFound(_("no resource “%(slug)s” in this platform") % {"slug": resource_slug})
    return platform, resource


def access_booking(user, slug: str, booking_id: int) -> tuple[Booking, Agent]:
    """A booking for the people it concerns (and those who act for them) and stewards."""
    platform, actor, _role = access_member(user, slug, area="gatherings")
    booking = (
        Booking.objects.filter(platform=platform, pk=booking_id)
        .select_related("resource", "beneficiary", "booked_by", "platform")
        .first()
    )
    if booking is None or not may_manage_booking(booking, actor):
        raise NotFound(_("no booking #%(id)s in this platform") % {"id": booking_id})
    return booking, actor


def access_gathering(user, slug: str, gathering_id: int) -> Gathering:
    """Public gatherings for whoever may see the platform; the others for members."""
    platform = access_platform(user, slug)
    gathering = (
        Gathering.objects.filter(platform=platform, pk=gathering_id)
        .select_related("booking__resource", "organizer", "client", "platform")
        .first()
    )
    if gathering is None or not (gathering.is_public or belongs(user, platform)):
        raise NotFound(_("no gathering #%(id)s in this platform") % {"id": gathering_id})
    return gathering


def access_registration(user, slug: str, registration_id: int) -> tuple[Registration, Agent]:
    platform, actor, _role = access_member(user, slug, area="gatherings")
    registration = (
        Registration.objects.filter(platform=platform, pk=registration_id)
        .select_related("gathering__booking", "agent")
        .first()
    )
    if registration is None:
        raise NotFound(_("no registration #%(id)s in this platform") % {"id": registration_id})
    return registration, actor


def invoices_visible_to(platform: Platform, actor: Agent):
    """Stewards and the host's staff see every invoice; a client's people see theirs."""
    invoices = Invoice.objects.filter(platform=platform).select_related(
        "client", "issuer", "gathering__booking", "platform"
    )
    if may_manage_invoices(platform, actor):
        return invoices
    return invoices.filter(client__in=actor.represents.all())


def access_invoice(user, slug: str, invoice_id: int) -> tuple[Invoice, Agent]:
    platform, actor, _role = access_member(user, slug, area="gatherings")
    invoice = invoices_visible_to(platform, actor).filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound(_("no invoice #%(id)s in this platform") % {"id": invoice_id})
    return invoice, actor


def access_invoicing(user, slug: str) -> tuple[Platform, Agent]:
    """The invoicing details: the host's staff and the facilitators set them."""
    platform, actor, _role = access_member(user, slug)
    if not may_manage_invoices(platform, actor):
        raise PermissionDenied(_("only the host's staff or a facilitator set invoicing details"))
    return platform, actor


def access_resident(user, slug: str, agent_slug: str) -> tuple[Platform, Agent, Agent]:
    """A resident's terms and time balance: the resident, and the stewards."""
    platform, actor, _role = access_member(user, slug, area="gatherings")
    resident = Agent.objects.filter(platform=platform, slug=agent_slug).first()
    if resident is None:
        raise NotFound(_("no agent “%(slug)s” in this platform") % {"slug": agent_slug})
    if resident.pk != actor.pk and not agent_is_steward(actor):
        raise PermissionDenied(_("a resident's terms are shown to them and to stewards"))
    return platform, resident, actor


def agreements_of(platform: Platform, resident: Agent):
    return ResidencyAgreement.objects.filter(platform=platform, resident=resident)


def access_feed(slug: str, token: str) -> tuple[Platform, Agent]:
    """A private calendar: the token is the only credential (calendar apps send no cookie)."""
    feed = (
        FeedToken.objects.filter(platform__slug=slug, token=token)
        .select_related("platform", "agent__user")
        .first()
    )
    if feed is None or len(token) < 32 or not _still_member(feed.platform, feed.agent):
        raise NotFound(_("no such calendar"))
    return feed.platform, feed.agent


def _still_member(platform: Platform, agent: Agent) -> bool:
    # A feed dies with its membership (a former member, a closed account), while its
    # token, leaked into some calendar app, may live on.
    if agent.user_id is not None and not agent.user.is_active:
        return False
    return Membership.objects.filter(platform=platform, agent=agent, role__in=MEMBER_ROLES).exists()

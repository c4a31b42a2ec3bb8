"""Fetch-and-authorise helpers: every page and API endpoint gets objects through these.

A platform's private data is visible to its members only; a private platform does not
even exist for anyone else (404, not 403, so that its name does not leak).
"""

from typing import NamedTuple

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import NotFound, PermissionDenied
from tribu.ledger.models import EconomicEvent

from .models import Membership, Platform, PlatformStatus, Role

# The one place that says which roles make a member and which a steward.
MEMBER_ROLES = {Role.HOST, Role.FACILITATOR, Role.RESIDENT, Role.NEWCOMER, Role.GUEST}
STEWARDS = {Role.HOST, Role.FACILITATOR}


class Member(NamedTuple):
    """Everything a page or an endpoint needs to decide what a member may do."""

    platform: Platform
    agent: Agent
    role: str

    @property
    def is_steward(self) -> bool:
        return is_steward(self.role)


def is_steward(role: str | None) -> bool:
    return role in STEWARDS


def role_of(agent: Agent) -> str | None:
    """The role an agent holds in its platform, if any."""
    return (
        Membership.objects.filter(platform_id=agent.platform_id, agent=agent)
        .values_list("role", flat=True)
        .first()
    )


def _acting(user, platform: Platform) -> tuple[Agent | None, str | None]:
    """The person through which `user` acts in `platform` and its role, in one query.

    Remembered on the user object for the rest of the request (as Django remembers
    permissions), so the access check, the navigation and the page ask only once."""
    if not getattr(user, "is_authenticated", False):
        return None, None
    known = user.__dict__.setdefault("_tribu_acting", {})
    if platform.pk not in known:
        role = Membership.objects.filter(platform=platform, agent=OuterRef("pk")).values("role")
        agent = (
            Agent.objects.filter(platform=platform, user=user)
            .annotate(role=Subquery(role[:1]))
            .order_by("pk")
            .first()
        )
        known[platform.pk] = (agent, agent.role if agent else None)
    return known[platform.pk]


def acting_agent(user, platform: Platform) -> Agent | None:
    """The person agent through which `user` acts in `platform`, if any."""
    return _acting(user, platform)[0]


def role_in(user, platform: Platform) -> str | None:
    return _acting(user, platform)[1]


def is_member(user, platform: Platform) -> bool:
    return role_in(user, platform) in MEMBER_ROLES


def access_platform(user, slug: str) -> Platform:
    """A platform its visitor may see: public ones for everyone, private ones for members,
    drafts for their founders (stewards) only."""
    platform = Platform.objects.filter(slug=slug).select_related("place", "host").first()
    if platform is None or not (platform.is_public or is_member(user, platform)):
        raise NotFound(_("no platform “%(slug)s”") % {"slug": slug})
    if platform.status == PlatformStatus.DRAFT and role_in(user, platform) not in STEWARDS:
        raise NotFound(_("no platform “%(slug)s”") % {"slug": slug})
    return platform


def access_member(user, slug: str, roles: set[str] | None = None) -> Member:
    """A platform, the member acting in it and their role; `roles` narrows who may act."""
    platform = access_platform(user, slug)
    agent, role = _acting(user, platform)
    if agent is None or role not in MEMBER_ROLES:
        raise PermissionDenied(_("members of %(name)s only") % {"name": platform.name})
    if roles is not None and role not in roles:
        raise PermissionDenied(
            _("this needs one of the roles: %(roles)s") % {"roles": ", ".join(sorted(roles))}
        )
    return Member(platform, agent, role)


def access_event(user, slug: str, event_id: int) -> tuple[EconomicEvent, Agent, str]:
    """An event of the platform, the member asking and their role."""
    platform, actor, role = access_member(user, slug)
    event = (
        EconomicEvent.objects.filter(platform=platform, pk=event_id)
        .select_related("provider", "receiver", "resource_conforms_to", "recorded_by")
        .first()
    )
    if event is None:
        raise NotFound(_("no event #%(id)s in this platform") % {"id": event_id})
    return event, actor, role


def agent_in(platform: Platform, slug: str, field: str = "") -> Agent:
    """An agent of a platform the caller was already let into, named by its slug."""
    agent = Agent.objects.filter(platform=platform, slug=slug).first()
    if agent is not None:
        return agent
    if field:
        raise NotFound(
            _("%(field)s: no agent “%(slug)s” in this platform") % {"field": field, "slug": slug}
        )
    raise NotFound(_("no agent “%(slug)s” in this platform") % {"slug": slug})


def access_agent(user, slug: str, agent_slug: str) -> Agent:
    """An agent's page: public profiles for everyone, the others for members."""
    platform = access_platform(user, slug)
    agent = Agent.objects.filter(platform=platform, slug=agent_slug).first()
    if agent is None or not (agent.is_public or is_member(user, platform)):
        raise NotFound(_("no agent “%(slug)s” in this platform") % {"slug": agent_slug})
    return agent

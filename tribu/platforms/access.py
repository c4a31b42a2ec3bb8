"""Fetch-and-authorise helpers: every page and API endpoint gets objects through these.

A platform's private data is visible to its members only; a private platform does not
even exist for anyone else (404, not 403, so that its name does not leak).
"""

from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import NotFound, PermissionDenied
from tribu.ledger.models import EconomicEvent

from .models import Membership, Platform, PlatformStatus, Role

MEMBER_ROLES = {Role.HOST, Role.FACILITATOR, Role.RESIDENT, Role.NEWCOMER, Role.GUEST}
STEWARDS = {Role.HOST, Role.FACILITATOR}


def acting_agent(user, platform: Platform) -> Agent | None:
    """The person agent through which `user` acts in `platform`, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Agent.objects.filter(platform=platform, user=user).order_by("pk").first()


def role_in(user, platform: Platform) -> str | None:
    agent = acting_agent(user, platform)
    if agent is None:
        return None
    membership = Membership.objects.filter(platform=platform, agent=agent).first()
    return membership.role if membership else None


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


def access_member(user, slug: str, roles: set[str] | None = None) -> tuple[Platform, Agent]:
    """A platform and the member acting in it; `roles` narrows who may act."""
    platform = access_platform(user, slug)
    role = role_in(user, platform)
    if role not in MEMBER_ROLES:
        raise PermissionDenied(_("members of %(name)s only") % {"name": platform.name})
    if roles is not None and role not in roles:
        raise PermissionDenied(
            _("this needs one of the roles: %(roles)s") % {"roles": ", ".join(sorted(roles))}
        )
    return platform, acting_agent(user, platform)


def access_event(user, slug: str, event_id: int) -> tuple[EconomicEvent, Agent]:
    platform, actor = access_member(user, slug)
    event = (
        EconomicEvent.objects.filter(platform=platform, pk=event_id)
        .select_related("provider", "receiver", "resource_conforms_to", "recorded_by")
        .first()
    )
    if event is None:
        raise NotFound(_("no event #%(id)s in this platform") % {"id": event_id})
    return event, actor


def access_agent(user, slug: str, agent_slug: str) -> Agent:
    """An agent's page: public profiles for everyone, the others for members."""
    platform = access_platform(user, slug)
    agent = Agent.objects.filter(platform=platform, slug=agent_slug).first()
    if agent is None or not (agent.is_public or is_member(user, platform)):
        raise NotFound(_("no agent “%(slug)s” in this platform") % {"slug": agent_slug})
    return agent

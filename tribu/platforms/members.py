"""Adding a signed-up person to a platform: the page's one write, through the platform
services (an agent linked to the login, a role with its history)."""

from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import Conflict
from tribu.platforms.models import Membership, Platform
from tribu.platforms.services import add_agent, free_slug, set_role


def add_member(platform: Platform, actor: Agent, user, role: str, name: str = "") -> Agent:
    agent = Agent.objects.filter(platform=platform, user=user).order_by("pk").first()
    reason = _("added by %(name)s") % {"name": actor.name}
    if agent is None:
        return add_agent(
            platform,
            slug=free_slug(platform, user.username),
            name=name or user.get_full_name() or user.username,
            user=user,
            role=role,
            by=actor,
            reason=reason,
        )
    if Membership.objects.filter(platform=platform, agent=agent).exists():
        raise Conflict(_("%(name)s is already a member") % {"name": agent.name})
    set_role(agent, role, by=actor, reason=reason)
    return agent

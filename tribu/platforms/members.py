"""Adding a signed-up person to a platform: the page's one write, through the platform
services (an agent linked to the login, a role with its history)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import Conflict
from tribu.platforms.models import Membership, Platform, Role
from tribu.platforms.services import add_agent, free_slug, set_role

# The roles a steward gives on the members page (hosts are made when founding).
ADDABLE_ROLES = (Role.NEWCOMER, Role.RESIDENT, Role.GUEST, Role.FACILITATOR)


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


def signed_up(value: str):
    """The person who signed up with this username or e-mail (either, any case), or None."""
    value = value.strip()
    return (
        get_user_model()
        .objects.filter(Q(username__iexact=value) | Q(email__iexact=value))
        .order_by("pk")
        .first()
    )

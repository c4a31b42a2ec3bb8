"""Fetch-and-authorise helpers for community objects, in the style of platforms.access.

Joining, needs and offers, matches and the charter's debates are members' business:
anyone else gets a 404 or a 403 from these helpers, never the object. Projects and
profiles marked public, and the charter's adopted text, are readable by anyone who can
see the platform.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import NotFound
from tribu.platforms.access import (
    access_member,
    access_platform,
    acting_agent,
    belongs,
    is_member,
)
from tribu.platforms.models import TrialArea

from .models import (
    Application,
    CharterComment,
    CharterProposal,
    Concern,
    Intent,
    Match,
    Project,
    Visibility,
)


def _one(queryset, what: str, pk):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("no %(what)s #%(id)s in this platform") % {"what": what, "id": pk})
    return found


def visible_applications(user, platform, actor: Agent):
    """Every application for members; their own for people on trial."""
    applications = Application.objects.filter(platform=platform)
    if is_member(user, platform, TrialArea.COMMUNITY):
        return applications
    return applications.filter(agent=actor)


def access_application(user, slug: str, pk: int) -> tuple[Application, Agent]:
    platform, actor, _role = access_member(user, slug, area="own")
    qs = visible_applications(user, platform, actor).select_related("agent", "platform")
    return _one(qs, _("application"), pk), actor


def access_concern(user, slug: str, pk: int) -> tuple[Concern, Agent]:
    platform, actor, _role = access_member(user, slug, area=TrialArea.COMMUNITY)
    qs = Concern.objects.filter(platform=platform).select_related("application__platform")
    return _one(qs, _("concern"), pk), actor


def visible_projects(user, platform):
    projects = Project.objects.filter(platform=platform).select_related("owner")
    if is_member(user, platform, TrialArea.COMMUNITY):
        return projects
    return projects.filter(visibility=Visibility.PUBLIC)


def access_project(user, slug: str, pk: int) -> Project:
    platform = access_platform(user, slug)
    return _one(visible_projects(user, platform), _("project"), pk)


def visible_profiles(user, platform):
    """Agents whose profile `user` may read: every one for members, public ones otherwise."""
    agents = Agent.objects.filter(platform=platform)
    if is_member(user, platform):
        return agents
    return agents.filter(Q(is_public=True))


def access_profile(user, slug: str, agent_slug: str) -> Agent:
    platform = access_platform(user, slug)
    agent = visible_profiles(user, platform).filter(slug=agent_slug).first()
    if agent is None:
        raise NotFound(_("no agent “%(slug)s” in this platform") % {"slug": agent_slug})
    return agent


def access_intent(user, slug: str, pk: int) -> tuple[Intent, Agent]:
    platform, actor, _role = access_member(user, slug, area="intents")
    qs = Intent.objects.filter(platform=platform).select_related("agent")
    return _one(qs, _("need or offer"), pk), actor


def access_match(user, slug: str, pk: int) -> tuple[Match, Agent]:
    platform, actor, _role = access_member(user, slug, area="intents")
    qs = Match.objects.filter(platform=platform).select_related(
        "need__agent", "offer__agent", "need__platform"
    )
    return _one(qs, _("match"), pk), actor


def access_proposal(user, slug: str, pk: int) -> tuple[CharterProposal, Agent]:
    platform, actor, _role = access_member(user, slug, area="charter")
    qs = CharterProposal.objects.filter(platform=platform).select_related("author", "platform")
    return _one(qs, _("proposal"), pk), actor


def access_comment(user, slug: str, pk: int) -> tuple[CharterComment, Agent]:
    platform, actor, _role = access_member(user, slug, area=TrialArea.COMMUNITY)
    qs = CharterComment.objects.filter(platform=platform).select_related("proposal")
    return _one(qs, _("comment"), pk), actor


def viewer(user, platform) -> Agent | None:
    """The viewer's agent if they are a member or on trial, for pages open to others too."""
    return acting_agent(user, platform) if belongs(user, platform) else None

"""Fetch-and-authorise helpers: every page and API endpoint gets objects through these.

A platform's private data is visible to its members only; a private platform does not
even exist for anyone else (404, not 403, so that its name does not leak).

Applicants and members on trial (newcomers) are not members yet: they see the public
page, the charter, gatherings, needs and offers, their own application and their own
flows; the areas in `Platform.trial_sees` are what the stewards widened for them.
"""

import functools
from collections.abc import Collection
from typing import NamedTuple

from django.db.models import Q
from django.utils.translation import gettext as _

from tribu.agents.models import Agent, AgentKind
from tribu.core.errors import NotFound, PermissionDenied
from tribu.ledger.models import EconomicEvent

from .models import Membership, Platform, PlatformStatus, Role, TrialArea

# The one place that says which roles make a member and which a steward.
MEMBER_ROLES = {Role.HOST, Role.FACILITATOR, Role.RESIDENT, Role.NEWCOMER, Role.GUEST}
STEWARDS = {Role.HOST, Role.FACILITATOR}
TRIAL_ROLES = {Role.NEWCOMER}  # applicants and members on trial: not members yet
FULL_MEMBER_ROLES = MEMBER_ROLES - TRIAL_ROLES
FACILITATORS = {Role.FACILITATOR}  # who decides on concerns and charter changes
VOUCHING_ROLES = {Role.RESIDENT, Role.FACILITATOR, Role.HOST}  # who vouches for newcomers
# Who records flows in the ledger and organises gatherings: guests only book.
RECORDING_ROLES = {Role.HOST, Role.FACILITATOR, Role.RESIDENT, Role.NEWCOMER}
ORGANIZER_ROLES = RECORDING_ROLES
OCCUPANT_ROLES = {Role.HOST, Role.FACILITATOR, Role.RESIDENT}  # who lives or works there
# What people on trial always see; TrialArea values are what stewards may add.
TRIAL_AREAS = {"gatherings", "intents", "charter", "own"}


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


def agent_is_steward(agent: Agent) -> bool:
    """Whether an agent holds a steward's role in its own platform."""
    return is_steward(role_of(agent))


def members(platform: Platform, roles: Collection[str] = MEMBER_ROLES):
    """The people holding one of `roles` in `platform`."""
    return Agent.objects.filter(
        platform=platform,
        kind=AgentKind.PERSON,
        memberships__platform=platform,
        memberships__role__in=list(roles),
    )


def require_role(agent: Agent, roles: Collection[str], what: str) -> str | None:
    """The agent's role if it is one of `roles`; else refused, saying what they may not do."""
    role = role_of(agent)
    if role not in roles:
        raise PermissionDenied(
            _("“%(slug)s” may not %(what)s here") % {"slug": agent.slug, "what": what}
        )
    return role


def check_member(
    platform: Platform, actor: Agent, roles: Collection[str] = MEMBER_ROLES
) -> str | None:
    """The role of someone acting in `platform`: one of its agents, holding one of `roles`."""
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


def _acting(user, platform: Platform) -> tuple[Agent | None, str | None]:
    """The person through which `user` acts in `platform` and its role, in one query.

    Remembered on the user object for the rest of the request (as Django remembers
    permissions), so the access check, the navigation and the page ask only once."""
    if not getattr(user, "is_authenticated", False):
        return None, None
    known = user.__dict__.setdefault("_tribu_acting", {})
    if platform.pk not in known:
        found = Agent.objects.raw(_acting_sql(), [platform.pk, user.pk])
        agent = next(iter(found), None)
        known[platform.pk] = (agent, getattr(agent, "role", None))  # the query's column
    return known[platform.pk]


@functools.cache
def _acting_sql() -> str:
    """Written once: every platform page asks it, and building it through the ORM cost
    more than running it."""
    agents, memberships = Agent._meta.db_table, Membership._meta.db_table
    columns = ", ".join(f"a.{field.column}" for field in Agent._meta.concrete_fields)
    role = (
        f"SELECT m.role FROM {memberships} m "  # noqa: S608 - our tables
        "WHERE m.platform_id = a.platform_id AND m.agent_id = a.id"
    )
    return (
        f"SELECT {columns}, ({role}) AS role FROM {agents} a "  # noqa: S608 - our tables
        "WHERE a.platform_id = %s AND a.user_id = %s ORDER BY a.id LIMIT 1"
    )


def acting_agent(user, platform: Platform) -> Agent | None:
    """The person agent through which `user` acts in `platform`, if any."""
    return _acting(user, platform)[0]


def role_in(user, platform: Platform) -> str | None:
    return _acting(user, platform)[1]


def belongs(user, platform: Platform) -> bool:
    """A member, or someone on trial: sees the platform and its gatherings."""
    return role_in(user, platform) in MEMBER_ROLES


def trial_may_see(platform: Platform, area: str) -> bool:
    return area in TRIAL_AREAS or area in (platform.trial_sees or [])


def may_see(role: str | None, platform: Platform, area: str) -> bool:
    """Whether `role` sees one of the members' areas (a TrialArea or a TRIAL_AREAS value)."""
    if role in TRIAL_ROLES:
        return trial_may_see(platform, area)
    return role in FULL_MEMBER_ROLES


def hidden_areas(role: str | None, platform: Platform) -> dict[str, bool]:
    """For the navigation: the members' areas someone on trial may not open (none for others)."""
    if role not in TRIAL_ROLES:
        return {}
    return {area: True for area in TrialArea.values if not trial_may_see(platform, area)}


def is_member(user, platform: Platform, area: str = TrialArea.MEMBERS) -> bool:
    """A member of the platform, or someone on trial the stewards let see `area`."""
    return may_see(role_in(user, platform), platform, area)


def on_trial(user, platform: Platform) -> bool:
    return role_in(user, platform) in TRIAL_ROLES


def access_platform(user, slug: str) -> Platform:
    """A platform its visitor may see: public ones for everyone, private ones for members,
    drafts for their founders (stewards) only."""
    platform = Platform.objects.filter(slug=slug).select_related("place", "host").first()
    if platform is None or not (platform.is_public or belongs(user, platform)):
        raise NotFound(_("no platform “%(slug)s”") % {"slug": slug})
    if platform.status == PlatformStatus.DRAFT and role_in(user, platform) not in STEWARDS:
        raise NotFound(_("no platform “%(slug)s”") % {"slug": slug})
    return platform


def access_member(
    user, slug: str, roles: set[str] | None = None, *, area: str = TrialArea.LEDGER
) -> Member:
    """A platform, the member acting in it and their role; `roles` narrows who may act, and
    people on trial pass only for an `area` they may see."""
    platform = access_platform(user, slug)
    agent, role = _acting(user, platform)
    if agent is None or role not in MEMBER_ROLES:
        raise PermissionDenied(_("members of %(name)s only") % {"name": platform.name})
    if role in TRIAL_ROLES and not trial_may_see(platform, area):
        raise PermissionDenied(
            _("members of %(name)s only: applicants and members on trial do not see this yet")
            % {"name": platform.name}
        )
    if roles is not None and role not in roles:
        raise PermissionDenied(
            _("this needs one of the roles: %(roles)s") % {"roles": ", ".join(sorted(roles))}
        )
    return Member(platform, agent, role)


def own_events(platform: Platform, actor: Agent):
    """The flows someone is party to: recorded by them, or given or received by them or by
    an organisation they act for."""
    sides = [actor.pk, *actor.represents.values_list("pk", flat=True)]
    return EconomicEvent.objects.filter(platform=platform).filter(
        Q(recorded_by=actor) | Q(provider_id__in=sides) | Q(receiver_id__in=sides)
    )


def visible_events(user, platform: Platform, actor: Agent):
    """The whole ledger for members; their own flows for people on trial."""
    if may_see(role_in(user, platform), platform, TrialArea.LEDGER):
        return EconomicEvent.objects.filter(platform=platform)
    return own_events(platform, actor)


def access_event(user, slug: str, event_id: int) -> tuple[EconomicEvent, Agent, str]:
    """An event the member asking may see (their own only, on trial), them and their role."""
    platform, actor, role = access_member(user, slug, area="own")
    event = (
        visible_events(user, platform, actor)
        .filter(pk=event_id)
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

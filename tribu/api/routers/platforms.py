"""Platforms and their agents: public ones for everyone, the rest for members only."""

from typing import Literal

from django.db.models import Q
from django.http import HttpResponse
from ninja import Router

from tribu.agents.models import Agent
from tribu.interchange import export_platform
from tribu.interchange.spreadsheet import events_template
from tribu.interchange.valueflows import to_valueflows
from tribu.platforms.access import (
    MEMBER_ROLES,
    STEWARDS,
    access_agent,
    access_member,
    access_platform,
    is_member,
)
from tribu.platforms.models import Membership, Platform

from ..auth import PUBLIC, TOKEN
from ..present import agent_out, platform_out
from ..schemas import ERRORS, AgentOut, ErrorOut, PlatformOut, Slug

router = Router(tags=["platforms"], auth=PUBLIC)


def visible_platforms(user):
    """Public platforms, and the private ones where `user` is a member."""
    mine = Q(pk__in=[])
    if user.is_authenticated:
        mine = Q(agents__user=user, agents__memberships__role__in=MEMBER_ROLES)
    return (
        Platform.objects.filter(Q(is_public=True) | mine)
        .distinct()
        .select_related("place", "host")
        .order_by("name")
    )


def roles_in(platform: Platform) -> dict[int, str]:
    return dict(Membership.objects.filter(platform=platform).values_list("agent_id", "role"))


@router.get(
    "/platforms", response={200: list[PlatformOut], ERRORS: ErrorOut}, summary="Visible platforms"
)
def list_platforms(request):
    return [platform_out(p, request.auth) for p in visible_platforms(request.auth)]


@router.get(
    "/platforms/{slug}", response={200: PlatformOut, ERRORS: ErrorOut}, summary="A platform"
)
def get_platform(request, slug: Slug):
    return platform_out(access_platform(request.auth, slug), request.auth)


@router.get(
    "/platforms/{slug}/agents",
    response={200: list[AgentOut], ERRORS: ErrorOut},
    summary="Its agents: public profiles, or everyone for members",
)
def list_agents(request, slug: Slug):
    platform = access_platform(request.auth, slug)
    agents = Agent.objects.filter(platform=platform).order_by("name", "slug")
    if not is_member(request.auth, platform):
        agents = agents.filter(is_public=True)
    roles = roles_in(platform)
    return [agent_out(agent, roles.get(agent.pk)) for agent in agents]


@router.get(
    "/platforms/{slug}/agents/{agent_slug}",
    response={200: AgentOut, ERRORS: ErrorOut},
    summary="An agent",
)
def get_agent(request, slug: Slug, agent_slug: Slug):
    agent = access_agent(request.auth, slug, agent_slug)
    return agent_out(agent, roles_in(agent.platform).get(agent.pk))


@router.get(
    "/platforms/{slug}/export",
    auth=TOKEN,
    response={200: dict, ERRORS: ErrorOut},
    summary="Its export: the platform file, or ValueFlows 1.0 JSON-LD (hosts and facilitators)",
)
def export(request, slug: Slug, format: Literal["tribu", "valueflows"] = "tribu"):
    """The same document as `tribu export` (`--format valueflows`: docs/valueflows.md)."""
    platform, _actor = access_member(request.auth, slug, roles=STEWARDS)
    data = export_platform(platform)
    return to_valueflows(data) if format == "valueflows" else data


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/templates/events.xlsx",
    response={200: None, ERRORS: ErrorOut},
    summary="The events spreadsheet template (French or English), for `tribu import`",
)
def events_spreadsheet(request, language: Literal["fr", "en"] = "fr"):
    response = HttpResponse(events_template(language), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="tribu-events-{language}.xlsx"'
    return response

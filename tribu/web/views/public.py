"""Pages anyone may read: the platforms, a Cause; and one's own profile."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone

from tribu.agents.models import Agent
from tribu.ledger.rows import RowBuilder
from tribu.platforms.access import access_platform, role_in
from tribu.platforms.models import Membership, Platform, PlatformStatus
from tribu.reports.headline import platform_headline

from ..awaiting import flows_to_confirm
from ..context import language, platform_context
from ..errors import page


def home(request):
    platforms = Platform.objects.filter(is_public=True, status=PlatformStatus.OPEN).order_by("name")
    from tribu.platforms.founding import founder_platforms

    drafts = founder_platforms(request.user).order_by("name")
    return render(request, "web/home.html", {"platforms": platforms, "drafts": drafts})


@page
def platform_detail(request, slug: str):
    platform = access_platform(request.user, slug)
    people = Agent.objects.filter(
        platform=platform, is_public=True, memberships__platform=platform
    ).order_by("name")
    return render(
        request,
        "web/platform_detail.html",
        platform_context(
            request,
            platform,
            people=people,
            headline=platform_headline(platform, language()),
            gatherings=upcoming_gatherings(platform),
            **cause_page_extras(request, platform),
        ),
    )


def cause_page_extras(request, platform: Platform) -> dict:
    """What draws people in: open needs and offers, public projects, how to join, and the
    link preview's metadata (OpenGraph, Twitter card)."""
    from django.urls import reverse

    from tribu.community.models import Intent, IntentStatus, Project, Visibility

    intents = Intent.objects.filter(platform=platform, status=IntentStatus.OPEN).order_by("-pk")
    projects = (
        Project.objects.filter(platform=platform, visibility=Visibility.PUBLIC)
        .select_related("owner")
        .order_by("-created_at")
    )
    photo = (
        request.build_absolute_uri(reverse("platforms-photo-file", args=[platform.slug]))
        if platform.photo
        else ""
    )
    return {
        "intents": list(intents[:8]),
        "projects": list(projects[:6]),
        "share_url": request.build_absolute_uri(platform.get_absolute_url()),
        "share_image": photo,
        "is_draft": platform.status == PlatformStatus.DRAFT,
    }


def upcoming_gatherings(platform: Platform) -> list:
    """The next public gatherings (the Cause page is public: private ones stay hidden)."""
    from tribu.spaces.models import Gathering

    return list(
        Gathering.objects.filter(
            platform=platform, is_public=True, cancelled=False, booking__start__gte=timezone.now()
        )
        .select_related("booking")
        .order_by("booking__start")[:5]
    )


@login_required
def profile(request):
    memberships = (
        Membership.objects.filter(agent__user=request.user)
        .select_related("platform", "agent")
        .order_by("platform__name")
    )
    return render(request, "web/profile.html", {"memberships": memberships})


@login_required
def to_confirm(request):
    """The flows that wait for the visitor's confirmation, in every platform."""
    groups = []
    for agent, events in flows_to_confirm(request.user):
        role = role_in(request.user, agent.platform)
        builder = RowBuilder(agent.platform, agent, language()).with_role(role)
        groups.append({"platform": agent.platform, "rows": [builder.row(e) for e in events]})
    return render(request, "web/to_confirm.html", {"groups": groups, "language": language()})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the app's icon."""
    return HttpResponsePermanentRedirect(static("tribu/favicon.svg"))

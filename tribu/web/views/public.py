"""Pages anyone may read: the platforms, a Cause; and one's own profile."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tribu.agents.models import Agent
from tribu.platforms.access import access_platform
from tribu.platforms.models import Membership, Platform
from tribu.reports.headline import platform_headline

from ..context import language, platform_context
from ..errors import page


def home(request):
    platforms = Platform.objects.filter(is_public=True).order_by("name")
    return render(request, "web/home.html", {"platforms": platforms})


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
        ),
    )


def upcoming_gatherings(platform: Platform) -> list:
    """Gatherings to come, once the spaces app provides them."""
    try:
        from tribu.spaces.models import Gathering  # noqa: PLC0415 - optional app part
    except ImportError:
        return []
    from django.utils import timezone

    fields = {f.name for f in Gathering._meta.get_fields()}
    start = next((f for f in ("starts_at", "start", "begins_at") if f in fields), None)
    if start is None:
        return []
    return list(
        Gathering.objects.filter(platform=platform, **{f"{start}__gte": timezone.now()}).order_by(
            start
        )[:5]
    )


@login_required
def profile(request):
    memberships = (
        Membership.objects.filter(agent__user=request.user)
        .select_related("platform", "agent")
        .order_by("platform__name")
    )
    return render(request, "web/profile.html", {"memberships": memberships})

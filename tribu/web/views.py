"""The site's own pages: the front door, one's profile, what waits for one's confirmation."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static

from tribu.ledger.row_markup import rows_markup
from tribu.ledger.rows import RowBuilder
from tribu.platforms.access import role_in
from tribu.platforms.models import Membership, Platform, PlatformStatus

from .awaiting import flows_to_confirm
from .context import language


def home(request):
    platforms = Platform.objects.filter(is_public=True, status=PlatformStatus.OPEN).order_by("name")
    from tribu.platforms.founding import founder_platforms

    drafts = founder_platforms(request.user).order_by("name")
    mine = _memberships(request.user).exclude(platform__status=PlatformStatus.DRAFT)
    context = {"platforms": platforms, "drafts": drafts, "mine": mine}
    return render(request, "web/home.html", context)


def _memberships(user):
    """The visitor's memberships, their platforms with them (none for an anonymous visitor)."""
    if not user.is_authenticated:
        return Membership.objects.none()
    found = Membership.objects.filter(agent__user=user).select_related("platform", "agent")
    return found.order_by("platform__name")


@login_required
def profile(request):
    memberships = _memberships(request.user)
    return render(request, "web/profile.html", {"memberships": memberships})


@login_required
def to_confirm(request):
    """The flows that wait for the visitor's confirmation, in every platform."""
    groups = []
    for agent, events in flows_to_confirm(request.user):
        role = role_in(request.user, agent.platform)
        builder = RowBuilder(agent.platform, agent, language()).with_role(role)
        rows = rows_markup(builder.rows(list(events)), get_token(request))
        groups.append({"platform": agent.platform, "rows_html": rows})
    return render(request, "web/to_confirm.html", {"groups": groups, "language": language()})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the app's icon."""
    return HttpResponsePermanentRedirect(static("tribu/favicon.svg"))

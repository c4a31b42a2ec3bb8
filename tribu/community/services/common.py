"""What the community's actions share: its settings, and the checks each one makes."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import NotFound, PermissionDenied, TribuError
from tribu.platforms.access import (
    may_see,
    role_of,
)
from tribu.platforms.models import Platform, TrialArea

from ..models import (
    CommunitySettings,
)


def settings_for(platform: Platform) -> CommunitySettings:
    return CommunitySettings.objects.get_or_create(platform=platform)[0]


def _require_community(agent: Agent, what: str) -> None:
    """Members, and people on trial only where the stewards opened the community to them."""
    if not may_see(role_of(agent), agent.platform, TrialArea.COMMUNITY):
        raise PermissionDenied(
            _("“%(slug)s” may not %(what)s here") % {"slug": agent.slug, "what": what}
        )


def _same_platform(agent: Agent, obj) -> None:
    if agent.platform_id != obj.platform_id:
        raise NotFound(_("nothing like that in this platform"))


def _text(value: str, name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise TribuError(_("%(name)s: missing") % {"name": name})
    return value


def _url(name: str, platform: Platform, *args) -> str:
    return reverse(name, args=[platform.slug, *args])

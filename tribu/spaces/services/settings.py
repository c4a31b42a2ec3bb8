"""A space's settings: its time zone, opening hours and guests' allowance."""

from datetime import datetime
from typing import cast
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import NotFound, TribuError
from tribu.platforms.access import STEWARDS, check_member
from tribu.platforms.models import Platform

from ..models import (
    SpaceSettings,
)


def space_settings(platform: Platform) -> SpaceSettings:
    settings, _created = SpaceSettings.objects.get_or_create(platform=platform)
    return settings


def local_zone(platform: Platform) -> ZoneInfo:
    return ZoneInfo(platform.time_zone)


def aware(platform: Platform, moment: datetime) -> datetime:
    """A naive time is read in the platform's time zone (what its calendar shows)."""
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, local_zone(platform))
    return moment


def place_of(platform: Platform) -> Agent:
    # Founding a platform makes its place first: a platform never lacks one.
    return cast(Agent, platform.place)


def when(platform: Platform, moment: datetime) -> str:
    return timezone.localtime(moment, local_zone(platform)).strftime("%Y-%m-%d %H:%M")


def _same_platform(platform: Platform, agent: Agent | None, name: str) -> None:
    if agent is not None and agent.platform_id != platform.pk:
        raise NotFound(
            _("%(name)s: no agent “%(slug)s” in this platform") % {"name": name, "slug": agent.slug}
        )


def update_space_settings(platform: Platform, *, actor: Agent, **fields) -> SpaceSettings:
    """Opening hours and the guests' weekly allowance; stewards set them."""
    check_member(platform, actor, STEWARDS)
    unknown = set(fields) - {"opens_at", "closes_at", "guest_max_hours_per_week"}
    if unknown:
        raise TribuError(_("unknown setting(s): %(names)s") % {"names": ", ".join(sorted(unknown))})
    for name in ("opens_at", "closes_at"):
        if getattr(fields.get(name), "tzinfo", None) is not None:
            raise TribuError(
                _("%(name)s: a time of day without an offset (the place's time zone applies)")
                % {"name": name}
            )
    rules = space_settings(platform)
    for name, value in fields.items():
        setattr(rules, name, value)
    if rules.closes_at <= rules.opens_at:
        raise TribuError(
            _("the place must open (%(opens)s) before it closes (%(closes)s)")
            % {
                "opens": rules.opens_at.strftime("%H:%M"),
                "closes": rules.closes_at.strftime("%H:%M"),
            }
        )
    rules.save()
    return rules

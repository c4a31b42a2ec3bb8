"""What the `community_tick` command does for each platform."""

from datetime import datetime

from tribu.platforms.models import Platform

from .charter import adopt_due
from .joining import expire_trials
from .notifications import send_digests


def tick(platform: Platform, now: datetime | None = None) -> dict:
    """What the periodic command does for one platform."""
    return {
        "expired": len(expire_trials(platform, now)),
        "adopted": len(adopt_due(platform, now)),
        "digests": send_digests(platform, now),
    }

"""Resources and times for the space tests."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tribu.spaces.services import add_resource

PARIS = ZoneInfo("Europe/Paris")


def at(day: str, hour: int = 0, minute: int = 0) -> datetime:
    """A Paris time on an ISO day: at("2026-03-10", 14)."""
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=PARIS)


def future(days: int = 7, hour: int = 10) -> datetime:
    base = datetime.now(PARIS).replace(hour=hour, minute=0, second=0, microsecond=0)
    return base + timedelta(days=days)


def rooms(tribe):
    """A room with two beds, a meeting room and the event space."""
    platform = tribe.platform
    return (
        add_resource(platform, slug="chambre-1", name="Chambre 1", kind="room", beds=2, capacity=2),
        add_resource(
            platform, slug="salle", name="Salle de réunion", kind="meeting_room", capacity=8
        ),
        add_resource(platform, slug="agora", name="Agora", kind="event_space", capacity=40),
    )

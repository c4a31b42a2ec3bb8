"""iCalendar feeds: a platform's public gatherings, and one member's own bookings."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from tribu.agents.models import Agent
from tribu.platforms.models import Platform

from .models import BookingStatus, Gathering
from .services import my_bookings


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Tribu//spaces//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _host() -> str:
    return settings.SITE_ROOT.split("://")[-1].split("/")[0] or "tribu"


def gatherings_feed(platform: Platform) -> bytes:
    calendar = _calendar(platform.name)
    gatherings = Gathering.objects.filter(
        platform=platform, is_public=True, cancelled=False
    ).select_related("booking__resource")
    for gathering in gatherings:
        event = Event()
        event.add("uid", f"gathering-{gathering.pk}@{_host()}")
        event.add("summary", gathering.title)
        event.add("dtstart", gathering.start)
        event.add("dtend", gathering.end)
        event.add("dtstamp", gathering.created_at)
        event.add("location", f"{gathering.booking.resource.name}, {platform.address}".strip(", "))
        if gathering.description:
            event.add("description", gathering.description)
        calendar.add_component(event)
    return calendar.to_ical()


def bookings_feed(platform: Platform, agent: Agent) -> bytes:
    calendar = _calendar(f"{platform.name} — {agent.name}")
    for booking in my_bookings(platform, agent).filter(status=BookingStatus.ACTIVE):
        event = Event()
        event.add("uid", f"booking-{booking.pk}@{_host()}")
        event.add("summary", f"{booking.resource.name} ({booking.beneficiary.name})")
        event.add("dtstart", booking.start)
        event.add("dtend", booking.end)
        event.add("dtstamp", booking.created_at or timezone.now())
        if booking.note:
            event.add("description", booking.note)
        calendar.add_component(event)
    return calendar.to_ical()

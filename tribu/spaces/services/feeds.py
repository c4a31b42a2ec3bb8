"""Private calendar feeds: each member's secret token, and the bookings it shows."""

from django.db.models import Q

from tribu.agents.models import Agent
from tribu.platforms.models import Platform

from ..models import (
    Booking,
    FeedToken,
)


def feed_token(agent: Agent) -> FeedToken:
    token, _created = FeedToken.objects.get_or_create(
        agent=agent, defaults={"platform_id": agent.platform_id}
    )
    return token


def regenerate_feed_token(agent: Agent) -> FeedToken:
    """A new secret: the old calendar URL stops working at once."""
    FeedToken.objects.filter(agent=agent).delete()
    return feed_token(agent)


def my_bookings(platform: Platform, agent: Agent):
    represented = agent.represents.values_list("pk", flat=True)
    return (
        Booking.objects.filter(platform=platform)
        .filter(Q(booked_by=agent) | Q(beneficiary=agent) | Q(beneficiary__in=represented))
        .select_related("resource", "beneficiary", "booked_by")
    )

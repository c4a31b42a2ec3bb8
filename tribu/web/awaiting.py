"""What waits for the visitor: the flows others recorded with them, to confirm.

Counted in every page's header (lazily: only pages that draw the header pay for it) and
listed on one page, across the visitor's platforms, each with a one-click confirm.
"""

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Subquery
from django.utils.functional import cached_property

from tribu.agents.models import Agent
from tribu.reports.balance import newest_changes


def flows_to_confirm(user) -> list[tuple[Agent, list]]:
    """(agent, events) for each of the user's agents that has flows to confirm."""
    from tribu.community.services import confirmations_to_give

    if not user.is_authenticated:
        return []
    found = []
    for agent in Agent.objects.filter(user=user).select_related("platform"):
        events = confirmations_to_give(agent)
        if events:
            found.append((agent, events))
    return found


def awaiting(request) -> dict:
    """Context processor: `awaiting.count` is the number of flows the visitor may confirm,
    counted only when a template asks for it."""
    return {"awaiting": Awaiting(getattr(request, "user", None))}


class Awaiting:
    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        if self.user is None or not self.user.is_authenticated:
            return 0
        # Finding them reads a large platform's proposed flows: once per state of the
        # ledgers the person is in (the stamp of each is its newest status change) and of
        # who represents whom there (whose side confirms a flow depends on it).
        newest = newest_changes(OuterRef("platform"))
        stamps = (
            Agent.objects.filter(user=self.user)
            .annotate(last=Subquery(newest[:1]), **_representation_stamp())
            .values_list("pk", "last", "links", "newest_link")
            .order_by("pk")
        )
        key = "tribu-awaiting-" + "-".join(".".join(map(str, stamp)) for stamp in stamps)
        found = cache.get(key)
        if found is None:
            found = sum(len(events) for _agent, events in flows_to_confirm(self.user))
            cache.set(key, found, timeout=24 * 3600)
        return found


def _representation_stamp() -> dict:
    """How many representation links the agent's platform has and the newest one's id:
    a link made raises the id, a link undone lowers the count (ids are never reused)."""
    links = (
        Agent.representatives.through.objects.filter(from_agent__platform=OuterRef("platform"))
        .order_by()
        .values("from_agent__platform")
    )
    return {
        "links": Subquery(links.annotate(n=Count("id")).values("n")[:1]),
        "newest_link": Subquery(links.annotate(top=Max("id")).values("top")[:1]),
    }

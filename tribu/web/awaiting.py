"""What waits for the visitor: the flows others recorded with them, to confirm.

Counted in every page's header (lazily: only pages that draw the header pay for it) and
listed on one page, across the visitor's platforms, each with a one-click confirm.
"""

import functools

from django.core.cache import cache
from django.db import connection
from django.utils.functional import cached_property

from tribu.agents.models import Agent
from tribu.reports.balance import newest_change_sql


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
        with connection.cursor() as cursor:
            cursor.execute(_stamps_sql(), [self.user.pk])
            stamps = cursor.fetchall()
        key = "tribu-awaiting-" + "-".join(".".join(map(str, stamp)) for stamp in stamps)
        found = cache.get(key)
        if found is None:
            found = sum(len(events) for _agent, events in flows_to_confirm(self.user))
            cache.set(key, found, timeout=24 * 3600)
        return found


@functools.cache
def _stamps_sql() -> str:
    """For each of a person's agents: its platform's newest status change, and how many
    representation links the platform has and the newest one's (a link made raises the
    id, a link undone lowers the count; ids are never reused). Written once: every page's
    header asks it, and building it through the ORM cost more than running it."""
    agents = Agent._meta.db_table
    links = Agent.representatives.through._meta.db_table
    in_platform = (
        f"FROM {links} r JOIN {agents} f ON f.id = r.from_agent_id "
        "WHERE f.platform_id = a.platform_id"
    )
    return (
        f"SELECT a.id, {newest_change_sql('a.platform_id')}, "  # noqa: S608 - our tables
        f"(SELECT COUNT(*) {in_platform}), (SELECT MAX(r.id) {in_platform}) "
        f"FROM {agents} a WHERE a.user_id = %s ORDER BY a.id"
    )

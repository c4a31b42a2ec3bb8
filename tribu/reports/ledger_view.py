"""The ledger as members read it: filtered events with their state, and the totals.

Listing is paginated by the page; totals are one aggregate query over the same filter,
kept in the shared cache until the ledger changes.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from tribu.ledger.models import EconomicEvent, Status
from tribu.platforms.models import Platform

CORRECTED = "corrected"
STATUS_FILTERS = (*Status.values, CORRECTED)


@dataclass(frozen=True)
class LedgerFilter:
    start: date | None = None
    end: date | None = None  # excluded
    agent: str = ""  # slug: the agent as provider or receiver
    spec: str = ""  # slug of the kind of value
    status: str = ""  # a Status, or "corrected"


def ledger_events(platform: Platform, f: LedgerFilter) -> QuerySet[EconomicEvent]:
    """Newest first, with everything a row shows fetched in the same query."""
    events = EconomicEvent.objects.filter(platform=platform)
    if f.start:
        events = events.filter(occurred_on__gte=f.start)
    if f.end:
        events = events.filter(occurred_on__lt=f.end)
    if f.agent:
        events = events.filter(Q(provider__slug=f.agent) | Q(receiver__slug=f.agent))
    if f.spec:
        events = events.filter(resource_conforms_to__slug=f.spec)
    if f.status == CORRECTED:
        events = events.filter(state__corrected=True)
    elif f.status in Status.values:
        events = events.filter(state__status=f.status, state__corrected=False)
    # What a row shows; the corrected flow is named by its id alone (`corrects_id`).
    return events.select_related(
        "provider", "receiver", "resource_conforms_to", "recorded_by", "state"
    ).order_by("-occurred_on", "-id")


def ledger_totals(events: QuerySet[EconomicEvent]) -> dict:
    """How many events the filter selects, by state, in one query."""
    return events.order_by().aggregate(
        total=Count("id"),
        proposed=Count("id", filter=Q(state__status=Status.PROPOSED, state__corrected=False)),
        confirmed=Count("id", filter=Q(state__status=Status.CONFIRMED, state__corrected=False)),
        disputed=Count("id", filter=Q(state__status=Status.DISPUTED, state__corrected=False)),
        corrected=Count("id", filter=Q(state__corrected=True)),
        counted=Count("id", filter=Q(state__counted=True)),
    )


def cached_totals(platform: Platform, events: QuerySet[EconomicEvent]) -> dict:
    """`ledger_totals`, counted once per state of the ledger: counting a large platform's
    events by state costs more than the rest of a page."""
    from .balance import ledger_stamp

    where = str(events.order_by().values("pk").query)  # the filter, whatever it is
    stamp = "-".join(str(part) for part in ledger_stamp(platform))
    key = f"tribu-ledger-totals-{platform.pk}-{stamp}-{hash_of(where)}"
    totals = cache.get(key)
    if totals is None:
        totals = ledger_totals(events)
        cache.set(key, totals, timeout=24 * 3600)
    return totals


def hash_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Listing:
    """The filtered events as a Paginator takes them: counted from the totals, and each
    page read in two steps. The page's ids first, from the events table alone; then those
    rows with everything they show. A late page skips thousands of rows without joining
    six tables for each."""

    # What the page's rows show: who recorded a flow is on its own page, not in the list.
    TABLES = ("provider", "receiver", "resource_conforms_to", "state")

    def __init__(self, events: QuerySet[EconomicEvent], total: int):
        self.events = events.select_related(None).select_related(*self.TABLES)
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key: slice) -> list[EconomicEvent]:
        ids = list(self.events.values_list("pk", flat=True)[key])
        return list(self.events.filter(pk__in=ids))

"""Sums of counted ledger events per specification, read as aggregates, never as rows.

Whole months come from the monthly projection (`LedgerMonth`); the partial months at
either end of a period come from one GROUP BY over the events of those days. A report
over a year therefore reads at most twelve months of sums plus two short day ranges.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from tribu.ledger.models import EconomicEvent, LedgerMonth


@dataclass(frozen=True)
class Period:
    start: date  # included
    end: date  # excluded

    def label(self) -> str:
        return f"{self.start.isoformat()} → {self.end.isoformat()}"


@dataclass
class Sums:
    quantity: Decimal = Decimal(0)
    money: Decimal = Decimal(0)
    declared: Decimal = Decimal(0)
    events: int = 0

    def add(self, quantity, money, declared, events) -> None:
        self.quantity += quantity or 0
        self.money += money or 0
        self.declared += declared or 0
        self.events += events or 0


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def split_period(period: Period) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """Whole months [first, last) for the projection, and the ragged day ranges around them."""
    first = period.start if period.start.day == 1 else _next_month(period.start)
    last = _month_start(period.end)
    if first >= last:
        return None, [(period.start, period.end)]
    edges = [(period.start, first), (last, period.end)]
    return (first, last), [(a, b) for a, b in edges if a < b]


def sums_for(platform_id: int, agent_id: int, side: str, period: Period) -> dict[int, Sums]:
    """Per specification id, what `agent` received (side="receiver") or provided."""
    months, ragged = split_period(period)
    result: dict[int, Sums] = {}
    if months:
        rows = (
            LedgerMonth.objects.filter(
                platform_id=platform_id,
                **{f"{side}_id": agent_id},
                month__gte=months[0],
                month__lt=months[1],
            )
            .values("specification_id")
            .annotate(q=Sum("quantity"), m=Sum("money"), d=Sum("declared"), n=Sum("events"))
        )
        _merge(result, rows)
    if ragged:
        days = Q()
        for start, end in ragged:
            days |= Q(occurred_on__gte=start, occurred_on__lt=end)
        rows = (
            EconomicEvent.objects.filter(
                days, platform_id=platform_id, state__counted=True, **{f"{side}_id": agent_id}
            )
            .values(specification_id=F("resource_conforms_to_id"))
            .annotate(
                q=Sum("resource_quantity"),
                m=Sum("money_amount"),
                d=Sum("declared_value"),
                n=Count("id"),
            )
        )
        _merge(result, rows)
    return result


def _merge(result: dict[int, Sums], rows) -> None:
    for row in rows:
        result.setdefault(row["specification_id"], Sums()).add(
            row["q"], row["m"], row["d"], row["n"]
        )


def counted_events(platform_id: int, agent_id: int, side: str, spec_id: int, period: Period):
    """The events behind one line of a report (for its 'how was this reached' link)."""
    return EconomicEvent.objects.filter(
        platform_id=platform_id,
        state__counted=True,
        resource_conforms_to_id=spec_id,
        occurred_on__gte=period.start,
        occurred_on__lt=period.end,
        **{f"{side}_id": agent_id},
    ).select_related("provider", "receiver", "resource_conforms_to")

"""The raw-SQL floor: what a host report costs with no projection at all.

One hand-written query over the events joined to their state (counted = confirmed and not
corrected), grouped by specification, for the events the agent received or provided in
the period. It computes the same figures `build_lines` needs — both sides, since costs are
what the agent provided — so the ratio Tribu / floor compares like with like.
"""

from datetime import date
from decimal import Decimal

from django.db import connection

from tribu.reports.aggregates import Period, Sums, sums_for

FLOOR_SQL = """
    SELECT CASE WHEN e.receiver_id = %s THEN 'receiver' ELSE 'provider' END AS side,
           e.resource_conforms_to_id,
           SUM(e.resource_quantity), SUM(e.money_amount), SUM(e.declared_value), COUNT(*)
    FROM ledger_economicevent e
    JOIN ledger_eventstate s ON s.event_id = e.id
    WHERE e.platform_id = %s
      AND (e.receiver_id = %s OR e.provider_id = %s)
      AND e.occurred_on >= %s AND e.occurred_on < %s
      AND s.counted
    GROUP BY 1, 2
"""

Figures = dict[tuple[str, int], tuple[Decimal, Decimal, Decimal, int]]


def decimal(value, places: int) -> Decimal:
    """A sum as an exact Decimal (SQLite returns floats for NUMERIC columns)."""
    exponent = Decimal(1).scaleb(-places)
    if value is None:
        return Decimal(0).quantize(exponent)
    return Decimal(str(value)).quantize(exponent)


def floor_rows(platform_id: int, agent_id: int, period: Period) -> list[tuple]:
    start, end = _day(period.start), _day(period.end)
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [agent_id, platform_id, agent_id, agent_id, start, end])
        return cursor.fetchall()


def floor_figures(platform_id: int, agent_id: int, period: Period) -> Figures:
    return {
        (side, spec): (decimal(q, 4), decimal(m, 2), decimal(d, 2), int(n))
        for side, spec, q, m, d, n in floor_rows(platform_id, agent_id, period)
    }


def tribu_figures(platform_id: int, agent_id: int, period: Period) -> Figures:
    """The same figures through `tribu.reports.aggregates.sums_for` (rollups + ragged days)."""
    figures: Figures = {}
    for side in ("receiver", "provider"):
        for spec, sums in sums_for(platform_id, agent_id, side, period).items():
            figures[(side, spec)] = _normalised(sums)
    return figures


def _normalised(sums: Sums) -> tuple[Decimal, Decimal, Decimal, int]:
    return (
        decimal(sums.quantity, 4),
        decimal(sums.money, 2),
        decimal(sums.declared, 2),
        int(sums.events),
    )


def _day(day: date) -> date | str:
    # SQLite stores dates as ISO text; comparing text with text keeps the index usable.
    return day.isoformat() if connection.vendor == "sqlite" else day


def differences(tribu: Figures, floor: Figures) -> list[str]:
    """Lines where Tribu's sums and the floor's disagree (empty when they are equal)."""
    return [
        f"{key}: Tribu {tribu.get(key)} ≠ floor {floor.get(key)}"
        for key in sorted(tribu.keys() | floor.keys())
        if tribu.get(key) != floor.get(key)
    ]

"""Are the projections of a generated ledger what the services would have kept?

Used after generation, before anything is timed: a benchmark over inconsistent
projections would measure nothing. `tribu.ledger.checks` is the ledger's own check
(`tribu check`) and the benchmark runs it; these SQL comparisons, written from the
definitions in `tribu/ledger/models.py`, stand in when it is absent and give the smoke
test a second, independent opinion.
"""

from django.db import connection

from .floor import decimal

# Each query counts the rows that break one rule; every count must be zero.
STATE_RULES = {
    "an event without its state": """
        SELECT COUNT(*) FROM ledger_economicevent e
        LEFT JOIN ledger_eventstate s ON s.event_id = e.id WHERE s.event_id IS NULL""",
    "a state whose status is not the last change of its history": """
        SELECT COUNT(*) FROM ledger_eventstate s
        WHERE s.status <> (SELECT c.status FROM ledger_eventstatuschange c
                           WHERE c.event_id = s.event_id ORDER BY c.at DESC, c.id DESC
                           LIMIT 1)""",
    "a state whose 'corrected' disagrees with the corrections recorded": """
        SELECT COUNT(*) FROM ledger_eventstate s
        WHERE s.corrected <> EXISTS (SELECT 1 FROM ledger_economicevent c
                                     WHERE c.corrects_id = s.event_id)""",
    "a state whose 'counted' is not 'confirmed and not corrected'": """
        SELECT COUNT(*) FROM ledger_eventstate s
        WHERE s.counted <> (s.status = 'confirmed' AND NOT s.corrected)""",
    "a change that belongs to another platform than its event": """
        SELECT COUNT(*) FROM ledger_eventstatuschange c
        JOIN ledger_economicevent e ON e.id = c.event_id WHERE c.platform_id <> e.platform_id""",
}


def month_expression() -> str:
    if connection.vendor == "postgresql":
        return "date_trunc('month', e.occurred_on)::date"
    return "date(e.occurred_on, 'start of month')"


def _recomputed_months() -> dict[tuple, tuple]:
    month = month_expression()
    sql = f"""
        SELECT e.platform_id, {month}, e.resource_conforms_to_id, e.provider_id, e.receiver_id,
               SUM(e.resource_quantity), SUM(e.money_amount), SUM(e.declared_value), COUNT(*)
        FROM ledger_economicevent e JOIN ledger_eventstate s ON s.event_id = e.id
        WHERE s.counted
        GROUP BY e.platform_id, {month}, e.resource_conforms_to_id, e.provider_id, e.receiver_id
    """
    return _keyed(sql)


def _stored_months() -> dict[tuple, tuple]:
    # Rows whose sums went back to zero (every event of the cell stopped counting) are
    # kept by the services; a recomputation does not produce them.
    return _keyed("""
        SELECT platform_id, month, specification_id, provider_id, receiver_id,
               quantity, money, declared, events
        FROM ledger_ledgermonth WHERE events <> 0""")


def _keyed(sql: str) -> dict[tuple, tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {
            (row[0], str(row[1])[:10], row[2], row[3], row[4]): (
                decimal(row[5], 4),
                decimal(row[6], 2),
                decimal(row[7], 2),
                int(row[8]),
            )
            for row in cursor.fetchall()
        }


def projection_problems() -> list[str]:
    """One line per broken rule, empty when every projection agrees with the raw ledger."""
    problems = []
    with connection.cursor() as cursor:
        for rule, sql in STATE_RULES.items():
            cursor.execute(sql)
            count = cursor.fetchone()[0]
            if count:
                problems.append(f"{count:,} × {rule}")
    recomputed, stored = _recomputed_months(), _stored_months()
    differing = {k for k in recomputed.keys() | stored.keys() if recomputed.get(k) != stored.get(k)}
    if differing:
        example = min(differing)
        problems.append(
            f"{len(differing):,} monthly sums differ from the events, e.g. {example}: "
            f"stored {stored.get(example)}, recomputed {recomputed.get(example)}"
        )
    return problems


def ledger_check_problems() -> list[str] | None:
    """`tribu check`'s invariants (`tribu.ledger.checks`); None when the project lacks them."""
    try:
        from tribu.ledger.checks import run_checks
    except ImportError:
        return None
    return [f"{result.name}: {result.detail}" for result in run_checks() if not result.ok]

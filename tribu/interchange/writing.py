"""Writing a checked plan of events: in bulk, in short transactions, resumable by key.

Each chunk of events is one short transaction: the events, their status histories and
states in three bulk inserts, the states of the events they correct in one update, and the
monthly rollups in one upsert. Between chunks other people's writes go through (SQLite
holds one writer at a time: a chunk holds it for a fraction of a second, not for the file).
Every event carries the file's key, unique per platform: if writing stops half-way (a
crash, a conflicting write), importing the same file again skips what was written and
writes the rest. A projection written here is the one `record_event` and `correct_event`
would have written: an event is counted once confirmed and not corrected, and a correction
takes the event it replaces out of the sums in the same transaction that records it.
"""

from collections.abc import Callable
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from tribu.core.errors import Conflict
from tribu.ledger.models import (
    EconomicEvent,
    EventState,
    EventStatusChange,
    LedgerMonth,
    Status,
)
from tribu.ledger.services import check_not_corrected
from tribu.platforms.models import Platform

from .events import Planned, Stored

Sums = dict[tuple, list]


def write_plan(
    platform: Platform,
    plan: list[Planned],
    chunk: int,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    total = len(plan)
    for start in range(0, total, chunk):
        part = plan[start : start + chunk]
        with transaction.atomic():
            _write_chunk(platform, part)
        if progress:
            progress(start + len(part), total)


def _write_chunk(platform: Platform, part: list[Planned]) -> None:
    _check_still_new(platform, part)
    for planned, pk in zip(part, _reserve_ids(len(part)), strict=True):
        planned.event.pk = pk
    events = []
    for planned in part:
        if planned.corrects is not None:
            planned.event.corrects_id = planned.corrects.event.pk
        events.append(planned.event)
    EconomicEvent.objects.bulk_create(events)
    EventStatusChange.objects.bulk_create(_changes(platform, part))
    EventState.objects.bulk_create(
        EventState(
            event_id=p.event.pk,
            platform=platform,
            status=p.state.status,
            counted=p.state.status == Status.CONFIRMED,
        )
        for p in part
    )
    sums: Sums = {}
    for planned in part:
        if planned.state.status == Status.CONFIRMED:
            _add(sums, planned.event, 1)
    _correct(part, sums)
    _upsert_months(sums)


def _check_still_new(platform: Platform, part: list[Planned]) -> None:
    """What was checked may have changed since: a key taken, an event corrected by someone."""
    taken = list(
        EconomicEvent.objects.filter(
            platform=platform, import_key__in=[p.key for p in part]
        ).values_list("import_key", flat=True)[:1]
    )
    if taken:
        raise Conflict(_("import key “%(key)s” is already used") % {"key": taken[0]})
    stored = {p.corrects.event.pk: p.corrects for p in part if isinstance(p.corrects, Stored)}
    for pk, corrected, counted in EventState.objects.filter(event_id__in=list(stored)).values_list(
        "event_id", "corrected", "counted"
    ):
        target = stored[pk]
        target.state.corrected, target.state.counted = corrected, counted
        check_not_corrected(target.event, target.state)


def _reserve_ids(count: int) -> list[int]:
    """Event numbers for a chunk, taken inside its transaction (so that a correction can
    name an event of the same chunk)."""
    table = EconomicEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite: the transaction holds the write lock from its start (IMMEDIATE), so no
        # other writer can take these numbers meanwhile.
        cursor.execute(
            f'SELECT MAX(COALESCE((SELECT MAX(id) FROM "{table}"), 0), '  # noqa: S608
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def _changes(platform: Platform, part: list[Planned]) -> list[EventStatusChange]:
    return [
        EventStatusChange(
            platform=platform, event_id=p.event.pk, status=status, by=by, reason=reason, at=at
        )
        for p in part
        for status, by, reason, at in p.changes
    ]


def _correct(part: list[Planned], sums: Sums) -> None:
    """The events this chunk corrects stop counting, as `correct_event` does."""
    targets = [p.corrects for p in part if p.corrects is not None]
    if not targets:
        return
    EventState.objects.filter(event_id__in=[t.event.pk for t in targets]).update(
        corrected=True, counted=False
    )
    for target in targets:
        if _was_counted(target):
            _add(sums, target.event, -1)


def _was_counted(target: "Planned | Stored") -> bool:
    if isinstance(target, Stored):
        return target.state.counted
    return target.state.status == Status.CONFIRMED


def _add(sums: Sums, event: EconomicEvent, sign: int) -> None:
    key = (
        event.platform_id,
        event.occurred_on.replace(day=1),
        event.resource_conforms_to_id,
        event.provider_id,
        event.receiver_id,
    )
    row = sums.setdefault(key, [Decimal(0), Decimal(0), Decimal(0), 0])
    row[0] += sign * event.resource_quantity
    row[1] += sign * (event.money_amount or 0)
    row[2] += sign * (event.declared_value or 0)
    row[3] += sign


def _upsert_months(sums: Sums) -> None:
    """Add to the monthly rollups, creating the rows a month lacks, in one statement."""
    if not sums:
        return
    table = LedgerMonth._meta.db_table
    ops = connection.ops
    keys = "platform_id, month, specification_id, provider_id, receiver_id"
    totals = ("quantity", "money", "declared", "events")
    update = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in totals)
    sql = (
        f"INSERT INTO {table} ({keys}, {', '.join(totals)}) "  # noqa: S608 - names are ours
        f"VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT ({keys}) DO UPDATE SET {update}"
    )
    rows = [
        (
            platform_id,
            ops.adapt_datefield_value(month),
            spec_id,
            provider_id,
            receiver_id,
            ops.adapt_decimalfield_value(quantity, 24, 4),
            ops.adapt_decimalfield_value(money, 24, 2),
            ops.adapt_decimalfield_value(declared, 24, 2),
            count,
        )
        for (platform_id, month, spec_id, provider_id, receiver_id), (
            quantity,
            money,
            declared,
            count,
        ) in sorted(sums.items())
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)

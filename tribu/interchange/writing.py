"""Writing a checked plan of events: in bulk, in short transactions, resumable by key.

The numbers of every event and status change are taken first, once; each chunk is then
made ready outside any transaction (the values for the driver, the chain's canonical
texts, the monthly sums) and written in one short transaction: the events, their status
histories and states in three bulk inserts, the states of the events they correct in one
update, the monthly rollups in one upsert, the chain's links in one insert. Between chunks
other people's writes go through (SQLite holds one writer at a time: a chunk holds it for
a few hundredths of a second, not for the file).
Every event carries the file's key, unique per platform: if writing stops half-way (a
crash, a conflicting write), importing the same file again skips what was written and
writes the rest. A projection written here is the one `record_event` and `correct_event`
would have written: an event is counted once confirmed and not corrected, and a correction
takes the event it replaces out of the sums in the same transaction that records it.
"""

import functools
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from itertools import repeat

from django.db import IntegrityError, connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tribu.core.errors import Conflict
from tribu.ledger import chain
from tribu.ledger.models import (
    EconomicEvent,
    EventState,
    EventStatusChange,
    LedgerMonth,
)
from tribu.ledger.services import check_not_corrected, counts
from tribu.platforms.models import Platform

from .events import Planned, Stored

Sums = dict[tuple, list]
# SQLite holds one writer at a time, and a writer kept waiting retries after 1, 2, 5… ms,
# then every 100 ms. A chunk is made ready (rows, values, the chain's texts) before its
# transaction, so the lock is held only for the inserts, and is free between two chunks
# while the next one is made ready: a waiting writer's next retry usually finds it free.
# Should its retries keep falling on the import's transactions, the import steps aside,
# after HOLD_AT_MOST seconds of holding the lock, for longer than a retry's interval.
HOLD_AT_MOST = 0.3  # seconds
STEP_ASIDE = 0.12  # seconds
SWITCH_EVERY = 0.0005  # seconds: how often threads take turns while a file is written beside


def write_plan(
    platform: Platform,
    plan: list[Planned],
    chunk: int,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    chunks = _chunks(platform, plan, chunk)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        _write_beside(platform, chunks, len(plan), progress)
    else:  # SQLite, or inside a caller's transaction, which only its own connection sees
        _write_in_turn(platform, chunks, len(plan), progress)


def _chunks(platform: Platform, plan: list[Planned], chunk: int) -> Iterator["Chunk"]:
    tables = Tables()
    change_ids = iter(_number(plan))
    for start in range(0, len(plan), chunk):
        yield Chunk(platform, plan[start : start + chunk], change_ids, tables)


def _write_in_turn(platform: Platform, chunks: Iterator["Chunk"], total: int, progress) -> None:
    held, freed, done = 0.0, time.monotonic(), 0
    for part in chunks:  # the next chunk is made ready here, while the lock is free
        if held >= HOLD_AT_MOST and connection.vendor == "sqlite":
            # The time spent making this chunk ready counts: the lock was free meanwhile.
            time.sleep(max(0.0, STEP_ASIDE - (time.monotonic() - freed)))
            held = 0.0
        began = time.monotonic()
        _write_chunk(platform, part)
        freed = time.monotonic()
        held += freed - began
        done = _advance(progress, done, len(part), total)


def _write_beside(platform: Platform, chunks: Iterator["Chunk"], total: int, progress) -> None:
    """PostgreSQL writes a chunk (in its own process, checking every key at the commit)
    while this process makes the next one ready: the file takes both processors instead
    of one after the other. One writer thread, so the chunks commit in order."""
    language, done, pending = translation.get_language(), 0, None
    switch = sys.getswitchinterval()
    # The writer mostly waits for the database; back from it, it should not wait long
    # for this thread to let go of the interpreter.
    sys.setswitchinterval(SWITCH_EVERY)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer") as writer:
        try:
            for part in chunks:
                if pending is not None:
                    done = _advance(progress, done, pending.result(), total)
                pending = writer.submit(_write_apart, platform, part, language)
            if pending is not None:
                _advance(progress, done, pending.result(), total)
        finally:
            writer.submit(_close_connection).result()
            sys.setswitchinterval(switch)


def _write_apart(platform: Platform, part: "Chunk", language: str) -> int:
    with translation.override(language):  # a conflict's message, in the reader's language
        _write_chunk(platform, part)
    return len(part)


def _close_connection() -> None:
    connection.close()  # the writer thread's own


def _advance(progress, done: int, written: int, total: int) -> int:
    if progress:
        progress(done + written, total)
    return done + written


def _number(plan: list[Planned]) -> list[int]:
    """Numbers for every event of the plan (set on each) and for their status histories
    (returned, in order), taken once before writing: the chunks can then be made ready
    outside their transactions, corrections can name events of later chunks, and the chain
    links rows it does not read back."""
    count = sum(len(p.changes) for p in plan)
    with transaction.atomic():
        events = _reserve_ids(EconomicEvent, len(plan))
        changes = _reserve_ids(EventStatusChange, count)
    for planned, pk in zip(plan, events, strict=True):
        planned.event.pk = pk
    return changes


class Tables:
    """The three tables a chunk fills, described once per import."""

    def __init__(self):
        self.events = Columns(EconomicEvent)
        self.changes = Columns(EventStatusChange)
        self.states = Columns(EventState)


class Chunk(list):
    """A chunk of the plan with its rows made ready, outside any transaction: the values
    for the driver, the chain's canonical texts, the monthly sums of its counted events."""

    def __init__(self, platform: Platform, part: list[Planned], change_ids, tables: Tables):
        super().__init__(part)
        self.tables = tables
        for planned in part:
            if planned.corrects is not None:
                planned.event.fields["corrects"] = planned.corrects.event.pk
        events, changes = tables.events, tables.changes
        event_rows = [events.by_column(p.event.fields, id=p.event.pk) for p in part]
        change_rows = _changes(platform, part)
        for fields, pk in zip(change_rows, change_ids, strict=False):
            fields["id"] = pk
        self.events, event_texts = _unzip(map(events.values, event_rows))
        self.changes, change_texts = _unzip(map(changes.values, change_rows))
        self.states = [tables.states.values(row)[0] for row in _states(platform, part)]
        # The rows join the platform's hash chain, events then their histories, each linked
        # from the values written (what `_append` does for a row saved alone).
        self.links = [
            *zip(repeat(events.table), (row["id"] for row in event_rows), event_texts),
            *zip(repeat(changes.table), (row["id"] for row in change_rows), change_texts),
        ]
        self.sums: Sums = {}
        for planned in part:
            if counts(planned.state):
                _add(self.sums, planned.event.fields, 1)


def _unzip(pairs) -> tuple[list, list]:
    firsts, seconds = [], []
    for first, second in pairs:
        firsts.append(first)
        seconds.append(second)
    return firsts, seconds


def _write_chunk(platform: Platform, part: Chunk) -> None:
    """One short transaction: the rows made ready, and what depends on the ledger as it is
    now (keys taken meanwhile, the events it corrects, the chain's last link)."""
    try:
        with transaction.atomic():
            _check_still_new(platform, part)
            tables = part.tables
            _insert(tables.events, part.events)
            _insert(tables.changes, part.changes)
            _insert(tables.states, part.states)
            sums = {key: list(row) for key, row in part.sums.items()}
            _correct(part, sums)
            _upsert_months(sums)
            chain.link(platform.pk, part.links)
    except (IntegrityError, connection.Database.IntegrityError):
        _refuse_taken_keys(platform, part)  # a key someone took meanwhile, if that is it
        raise


def _refuse_taken_keys(platform: Platform, part: list[Planned]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(*_taken_query(platform.pk, [p.key for p in part]))
        taken = cursor.fetchone()
    if taken:
        raise Conflict(_("import key “%(key)s” is already used") % {"key": taken[0]})


class Columns:
    """A table's columns and how each value is handed to the database driver: what
    `bulk_create` does for every value, prepared once per column instead. Rows are dicts
    by column (`attname`: relations by id) and give their own ids (`_reserve_ids`), so that
    the chain links them without reading them back."""

    def __init__(self, model):
        self.model = model
        self.table = model._meta.db_table
        fields = model._meta.concrete_fields
        self.names = [f.column for f in fields]
        self.attnames = [f.attname for f in fields]
        self.relations = [(f.name, f.attname) for f in fields if f.is_relation]
        self.decimals = [
            (f.attname, Decimal(1).scaleb(-f.decimal_places))
            for f in fields
            if f.get_internal_type() == "DecimalField"
        ]
        self.adapters = [(i, a) for i, a in enumerate(map(_adapter, fields)) if a is not None]
        # Only the histories join the chain (an event's state is not one).
        chained = model in chain.CHAINED
        self.text = chain.text_of_values(model, tuple(self.attnames)) if chained else None

    def by_column(self, fields: dict, **more) -> dict:
        """A row given by field name (related rows or their ids), by column."""
        row = fields | more
        for name, attname in self.relations:
            value = row.pop(name, None)
            row[attname] = None if value is None else _pk(value)
        # Rounded here as SQLite's adapter rounds (half to even), not by PostgreSQL (half
        # away from zero): the chain links the value the database keeps.
        for attname, step in self.decimals:
            value = row.get(attname)
            if value is not None:
                row[attname] = Decimal(value).quantize(step)
        return row

    def values(self, row: dict) -> tuple[list, str]:
        """The row's values for the driver, and its canonical text for the chain (taken
        from the values before they are adapted, as `content_of` takes them)."""
        get = row.get
        values = [get(attname) for attname in self.attnames]
        text = self.text(values) if self.text else ""
        for index, adapt in self.adapters:
            value = values[index]
            if value is not None:
                values[index] = adapt(value)
        return values, text


def _adapter(field):
    """How a column's values reach the driver; None when they go as they are."""
    ops = connection.ops
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        # The same few moments recur (the import's own, the file's days): adapt each once.
        return functools.lru_cache(maxsize=4096)(ops.adapt_datetimefield_value)
    if kind == "DateField":
        return functools.lru_cache(maxsize=4096)(ops.adapt_datefield_value)
    if kind == "DecimalField":
        return functools.partial(field.get_db_prep_save, connection=connection)
    return None


def _insert(columns: Columns, values: list[list]) -> None:
    """One statement per table: COPY on PostgreSQL, one prepared INSERT on SQLite."""
    quote = connection.ops.quote_name
    table = quote(columns.table)
    names = ", ".join(quote(name) for name in columns.names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns.names))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        cursor.executemany(sql, values)


def _check_still_new(platform: Platform, part: list[Planned]) -> None:
    """What was checked may have changed since: a key taken, an event corrected by someone.
    On PostgreSQL the keys are left to the unique index (a key taken meanwhile fails the
    insert, and `_refuse_taken_keys` names it): looking them up first cost a query per
    chunk whose plan, for a platform the statistics do not know yet, read all its keys."""
    if connection.vendor != "postgresql":
        _refuse_taken_keys(platform, part)
    stored = {p.corrects.event.pk: p.corrects for p in part if isinstance(p.corrects, Stored)}
    corrected = EconomicEvent.objects.filter(corrects_id__in=list(stored))
    for pk in corrected.values_list("corrects_id", flat=True):
        check_not_corrected(stored[pk].event, True)
    for pk, counted in EventState.objects.filter(event_id__in=list(stored)).values_list(
        "event_id", "counted"
    ):
        stored[pk].state.counted = counted


def _taken_query(platform_id: int, keys: list[str]) -> tuple[str, list]:
    """The first of `keys` the platform already has."""
    table = EconomicEvent._meta.db_table
    if connection.vendor == "sqlite":
        marks = ", ".join(["%s"] * len(keys))
        where = f"platform_id = %s AND import_key IN ({marks})"
        sql = f"SELECT import_key FROM {table} WHERE {where} LIMIT 1"  # noqa: S608 - ours
        return sql, [platform_id, *keys]
    # One array, not a thousand placeholders (cheaper for the driver to send).
    sql = f"SELECT import_key FROM {table} WHERE platform_id = %s AND import_key = ANY(%s) LIMIT 1"  # noqa: S608
    return sql, [platform_id, keys]


def _reserve_ids(model, count: int) -> list[int]:
    """`count` numbers of `model`'s table that no other writer will take, as a sequence
    gives them (a run that stops half-way leaves a gap, as PostgreSQL does)."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite (inside a transaction holding the write lock: IMMEDIATE): the tables number
        # their rows with AUTOINCREMENT, above both the largest id and `sqlite_sequence`;
        # moving the sequence past the numbers taken keeps them for this import.
        cursor.execute(
            f'SELECT MAX(COALESCE((SELECT MAX(id) FROM "{table}"), 0), '  # noqa: S608
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        first = cursor.fetchone()[0] + 1
        last = first + count - 1
        cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last, table])
        cursor.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT %s, %s "
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
            [table, last, table],
        )
    return list(range(first, first + count))


def _changes(platform: Platform, part: list[Planned]) -> list[dict]:
    return [
        {
            "platform_id": platform.pk,
            "event_id": p.event.pk,
            "status": status,
            "by_id": by.pk,
            "reason": reason,
            "at": at,
        }
        for p in part
        for status, by, reason, at in p.changes
    ]


def _states(platform: Platform, part: list[Planned]) -> list[dict]:
    return [
        {
            "event_id": p.event.pk,
            "platform_id": platform.pk,
            "status": p.state.status,
            "corrected": p.state.corrected,
            "counted": counts(p.state),
        }
        for p in part
    ]


def _correct(part: list[Planned], sums: Sums) -> None:
    """The ledger's own events this chunk corrects: counted or not by the services' rule
    (`settle_corrections` derived it); events of the file were written so already."""
    targets = [p.corrects for p in part if isinstance(p.corrects, Stored)]
    with connection.cursor() as cursor:
        for target in targets:
            counted = counts(target.state)
            cursor.execute(
                f"UPDATE {EventState._meta.db_table} SET corrected = %s, counted = %s "  # noqa: S608
                "WHERE event_id = %s",
                [target.state.corrected, counted, target.event.pk],
            )
            if counted != target.state.counted:
                _add(sums, _fields_of(target), 1 if counted else -1)
                target.state.counted = counted


def _fields_of(target: "Planned | Stored") -> dict:
    if isinstance(target, Planned):
        return target.event.fields
    event = target.event
    return {
        "platform": event.platform_id,
        "occurred_on": event.occurred_on,
        "resource_conforms_to": event.resource_conforms_to_id,
        "provider": event.provider_id,
        "receiver": event.receiver_id,
        "resource_quantity": event.resource_quantity,
        "money_amount": event.money_amount,
        "declared_value": event.declared_value,
    }


def _pk(value) -> int:
    # Every model a column refers to is numbered by `id`; `.pk` costs a look-up per call.
    return value if type(value) is int else value.id


def _add(sums: Sums, fields: dict, sign: int) -> None:
    """An event's share of its month (`_add_to_month`'s key and sums)."""
    key = (
        _pk(fields["platform"]),
        fields["occurred_on"].replace(day=1),
        _pk(fields["resource_conforms_to"]),
        _pk(fields["provider"]),
        _pk(fields["receiver"]),
    )
    row = sums.setdefault(key, [Decimal(0), Decimal(0), Decimal(0), 0])
    row[0] += sign * fields["resource_quantity"]
    row[1] += sign * (fields["money_amount"] or 0)
    row[2] += sign * (fields["declared_value"] or 0)
    row[3] += sign


def _upsert_months(sums: Sums) -> None:
    """Add to the monthly rollups, creating the rows a month lacks: one statement for all
    the months of a chunk (on PostgreSQL its columns as arrays, one round trip; on SQLite
    one prepared statement run for each month)."""
    if not sums:
        return
    table = LedgerMonth._meta.db_table
    ops = connection.ops
    keys = "platform_id, month, specification_id, provider_id, receiver_id"
    totals = ("quantity", "money", "declared", "events")
    update = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in totals)

    postgresql = connection.vendor == "postgresql"
    values = (
        "SELECT * FROM unnest(%s::bigint[], %s::date[], %s::bigint[], %s::bigint[], "
        "%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[], %s::integer[])"
        if postgresql
        else "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    statement = (
        f"INSERT INTO {table} ({keys}, {', '.join(totals)}) "  # noqa: S608 - names are ours
        f"{values} ON CONFLICT ({keys}) DO UPDATE SET {update}"
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
        if postgresql:
            cursor.execute(statement, [list(column) for column in zip(*rows, strict=True)])
        else:
            cursor.executemany(statement, rows)

"""Generated ledgers, written in bulk through the projections the services keep.

`record_event` and friends write one event at a time (a few milliseconds each): a million
events that way would take hours. The generator therefore writes the raw tables in bulk
(executemany on SQLite, COPY on PostgreSQL), but it writes exactly what the services would
have written: each event gets its status history (`EventStatusChange`), its projection
(`EventState`, with `counted` = confirmed and not corrected), and its contribution to the
monthly sums (`LedgerMonth`, one INSERT … SELECT … GROUP BY over the counted events, the
same sums `_add_to_month` keeps), and its links in the platform's hash chain, computed from
the values written as the import computes its own. `benchmarks.verify` then checks the
projections against a recomputation from the raw events before anything is measured.

Platforms and their agents are created through `tribu.platforms.services`, so that each
platform has its place, its host and its default catalogue exactly as in production.
"""

import functools
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
from django.core.management.color import no_style
from django.db import connection, transaction

from tribu.agents.models import AgentKind
from tribu.ledger import chain
from tribu.ledger.models import (
    EconomicEvent,
    EventStatusChange,
    LedgerMonth,
    ResourceSpecification,
)
from tribu.platforms.models import Role
from tribu.platforms.services import add_agent, create_platform, represent

from .bulkload import indexes_and_keys_set_aside

FIRST_DAY = date(2025, 1, 1)
DAYS = 730  # two whole years: 2025 and 2026
CHUNK = 100_000  # events per transaction, and a progress line each
RESIDENTS = 30
CLIENTS = 3

# Share of the ordinary events by final status; on top, CORRECTED of them are corrected.
STATUSES = (("confirmed", 0.90), ("proposed", 0.06), ("disputed", 0.04))
CORRECTED = 0.04


@dataclass(frozen=True)
class FlowKind:
    """One kind of flow the generator draws: who gives what to whom, and how much."""

    spec: str
    provider: str  # place, host, resident, client, landlord
    receiver: str
    action: str
    weight: float
    quantity: tuple[float, float, float]  # low, high, step
    value: tuple[str, int, int] | None = None  # ("money" | "declared", low, high) in euros


# What a platform's ledger is made of: the host receives rooms, desks, the event space,
# volunteer hours, goods, referrals, press and billed visits, and pays the rent; most
# flows run between the place and the residents, and between residents.
FLOW_KINDS = (
    FlowKind("hotel-night", "place", "host", "use", 0.08, (1, 4, 1)),
    FlowKind("event-space-day", "place", "host", "use", 0.02, (1, 2, 1)),
    FlowKind("desk-month", "place", "host", "use", 0.04, (1, 3, 1)),
    FlowKind("meeting-room-hour", "place", "host", "use", 0.05, (1, 6, 0.5)),
    FlowKind("volunteer-hour", "resident", "host", "deliverService", 0.06, (0.5, 8, 0.5)),
    FlowKind(
        "in-kind-goods", "resident", "host", "transfer", 0.02, (1, 3, 1), ("declared", 10, 400)
    ),
    FlowKind(
        "business-referral",
        "resident",
        "host",
        "deliverService",
        0.01,
        (1, 1, 1),
        ("declared", 500, 8000),
    ),
    FlowKind("press-coverage", "resident", "host", "cite", 0.01, (1, 1, 1)),
    FlowKind(
        "learning-expedition", "client", "host", "transfer", 0.02, (1, 1, 1), ("money", 800, 3500)
    ),
    FlowKind("rent", "host", "landlord", "transfer", 0.005, (1, 1, 1), ("money", 3000, 6000)),
    FlowKind("volunteer-hour", "host", "resident", "deliverService", 0.025, (0.5, 4, 0.5)),
    FlowKind("desk-month", "place", "resident", "use", 0.20, (1, 1, 1)),
    FlowKind("day-pass", "place", "resident", "use", 0.15, (1, 5, 1)),
    FlowKind("meeting-room-hour", "place", "resident", "use", 0.10, (1, 4, 0.5)),
    FlowKind("volunteer-hour", "resident", "resident", "deliverService", 0.20, (0.5, 6, 0.5)),
    FlowKind(
        "in-kind-goods", "resident", "resident", "transfer", 0.04, (1, 2, 1), ("declared", 5, 150)
    ),
)

EVENT_COLUMNS = [f.column for f in EconomicEvent._meta.concrete_fields]
CHANGE_COLUMNS = [f.column for f in EventStatusChange._meta.concrete_fields]
STATE_COLUMNS = ["event_id", "platform_id", "status", "corrected", "counted"]
BULK_TABLES = ["ledger_economicevent", "ledger_eventstatuschange", "ledger_eventstate"]


@dataclass
class Cast:
    """The agents and specifications of the generated platforms, as id arrays [platform]."""

    platforms: np.ndarray
    place: np.ndarray
    host: np.ndarray
    hana: np.ndarray  # acts for the host
    fanny: np.ndarray  # acts for the place
    landlord: np.ndarray
    residents: np.ndarray  # [platform, resident]
    clients: np.ndarray  # [platform, client]
    specs: dict[str, np.ndarray]
    units: dict[str, str]


@dataclass
class Ledger:
    """What was generated: the cast, and how many events of each final status."""

    cast: Cast
    events: int
    counts: dict[str, int]
    seconds: float
    # The inserts alone (the bulk writer), without platforms, hash chains, index rebuilds
    # and rollups.
    write_seconds: float = 0.0


# --- platforms ------------------------------------------------------------------


def create_cast(platforms: int, prefix: str = "bench") -> Cast:
    """`platforms` platforms, each with its place, host, 30 residents, 3 clients, a landlord."""
    rows = [_create_one(f"{prefix}-{i + 1:02d}") for i in range(platforms)]
    specs = {slug: np.array([row["specs"][slug] for row in rows]) for slug in rows[0]["specs"]}
    units = dict(
        ResourceSpecification.objects.filter(platform_id=rows[0]["platform"]).values_list(
            "slug", "unit"
        )
    )

    def column(name):
        return np.array([row[name] for row in rows], dtype=np.int64)

    return Cast(
        platforms=column("platform"),
        place=column("place"),
        host=column("host"),
        hana=column("hana"),
        fanny=column("fanny"),
        landlord=column("landlord"),
        residents=column("residents"),
        clients=column("clients"),
        specs=specs,
        units=units,
    )


@transaction.atomic
def _create_one(slug: str) -> dict:
    platform = create_platform(
        slug,
        name=f"Banc d'essai {slug}",
        cause_title="Benchmark",
        host={"slug": "hote", "name": "Hôte SA"},
        is_demo=True,
    )
    hana = add_agent(platform, slug="hana", name="Hana", role=Role.HOST)
    fanny = add_agent(platform, slug="fanny", name="Fanny", role=Role.FACILITATOR)
    represent(platform.host, hana)
    represent(platform.place, fanny)
    residents = [
        add_agent(platform, slug=f"r{i:02d}", name=f"Résident {i}", role=Role.RESIDENT)
        for i in range(RESIDENTS)
    ]
    clients = [
        add_agent(platform, slug=f"client-{i}", name=f"Client {i}", kind=AgentKind.ORGANIZATION)
        for i in range(CLIENTS)
    ]
    landlord = add_agent(platform, slug="bailleur", name="Bailleur", kind=AgentKind.ORGANIZATION)
    specs = dict(ResourceSpecification.objects.filter(platform=platform).values_list("slug", "pk"))
    return {
        "platform": platform.pk,
        "place": platform.place_id,
        "host": platform.host_id,
        "hana": hana.pk,
        "fanny": fanny.pk,
        "landlord": landlord.pk,
        "residents": [a.pk for a in residents],
        "clients": [a.pk for a in clients],
        "specs": specs,
    }


# --- events ---------------------------------------------------------------------


class Draw:
    """One chunk of events drawn as NumPy columns (index i = the i-th event of the chunk)."""

    def __init__(self, rng: np.random.Generator, cast: Cast, size: int, days: range):
        kinds = FLOW_KINDS
        weights = np.array([k.weight for k in kinds])
        self.size = size
        self.kind = rng.choice(len(kinds), size=size, p=weights / weights.sum())
        self.p = rng.integers(len(cast.platforms), size=size)
        # A ledger is written as time goes by: within the chunk's days, in date order, so
        # that ids and dates grow together as they do in a real ledger (and the raw-SQL
        # floor, which reads events, is not handicapped by an unrealistic layout).
        self.day = np.sort(rng.integers(days.start, days.stop, size=size))
        first = rng.integers(RESIDENTS, size=size)
        other = (first + 1 + rng.integers(RESIDENTS - 1, size=size)) % RESIDENTS
        client = rng.integers(CLIENTS, size=size)
        who = {
            "place": cast.place[self.p],
            "host": cast.host[self.p],
            "landlord": cast.landlord[self.p],
            "client": cast.clients[self.p, client],
        }
        self.provider = self._agents(cast, who, "provider", cast.residents[self.p, first])
        self.receiver = self._agents(cast, who, "receiver", cast.residents[self.p, other])
        acting = {**who, "place": cast.fanny[self.p], "host": cast.hana[self.p]}
        self.recorder = self._agents(cast, acting, "provider", cast.residents[self.p, first])
        self.confirmer = self._agents(cast, acting, "receiver", cast.residents[self.p, other])
        self.spec = np.zeros(size, dtype=np.int64)
        for k, kind in enumerate(kinds):
            mask = self.kind == k
            self.spec[mask] = cast.specs[kind.spec][self.p[mask]]
        self.quantity = self._quantities(rng)
        self.cents, self.value_kind = self._values(rng)

    def _agents(self, cast, who, side, resident) -> np.ndarray:
        result = resident.copy()
        for k, kind in enumerate(FLOW_KINDS):
            role = getattr(kind, side)
            if role != "resident":
                mask = self.kind == k
                result[mask] = who[role][mask]
        return result

    def _quantities(self, rng) -> np.ndarray:
        low, high, step = (np.array([k.quantity[i] for k in FLOW_KINDS]) for i in range(3))
        steps = np.round((high - low) / step).astype(np.int64) + 1
        picked = np.floor(rng.random(self.size) * steps[self.kind]).astype(np.int64)
        return low[self.kind] + step[self.kind] * picked

    def _values(self, rng) -> tuple[np.ndarray, np.ndarray]:
        codes = {None: 0, "money": 1, "declared": 2}
        low = np.array([k.value[1] * 100 if k.value else 0 for k in FLOW_KINDS])
        high = np.array([k.value[2] * 100 if k.value else 0 for k in FLOW_KINDS])
        cents = low[self.kind] + np.floor(
            rng.random(self.size) * (high - low + 1)[self.kind]
        ).astype(np.int64)
        value_kind = np.array([codes[k.value[0] if k.value else None] for k in FLOW_KINDS])
        return cents, value_kind[self.kind]


class Rows:
    """Turns a `Draw` into the rows of the four ledger tables, for one database engine."""

    def __init__(self, vendor: str, days: list[str]):
        self.postgresql = vendor == "postgresql"
        suffix = "+00" if self.postgresql else ""
        self.days = days
        self.recorded = [f"{d} 18:00:00{suffix}" for d in days]
        self.confirmed = [f"{d} 09:00:00{suffix}" for d in days[1:] + [_day_after(days[-1])]]

    def flag(self, values: np.ndarray) -> list:
        return values.tolist() if self.postgresql else values.astype(np.int64).tolist()

    def events(
        self,
        draw: Draw,
        rows: np.ndarray,
        ids: np.ndarray,
        corrects,
        quantity: np.ndarray,
        note: str,
        cast: Cast,
    ) -> list[tuple]:
        kind = draw.kind[rows]
        value_kind = draw.value_kind[rows]
        amounts = (draw.cents[rows] / 100).tolist()
        money = [a if v == 1 else None for a, v in zip(amounts, value_kind.tolist(), strict=True)]
        declared = [
            a if v == 2 else None for a, v in zip(amounts, value_kind.tolist(), strict=True)
        ]
        actions = [FLOW_KINDS[k].action for k in kind.tolist()]
        units = [cast.units[FLOW_KINDS[k].spec] for k in kind.tolist()]
        currency = ["EUR" if v == 1 else "" for v in value_kind.tolist()]
        day = draw.day[rows].tolist()
        occurred = [self.days[d] for d in day]
        recorded_at = [self.recorded[d] for d in day]
        n = len(ids)
        columns = {
            "id": ids.tolist(),
            "platform_id": cast.platforms[draw.p[rows]].tolist(),
            "action": actions,
            "provider_id": draw.provider[rows].tolist(),
            "receiver_id": draw.receiver[rows].tolist(),
            "resource_conforms_to_id": draw.spec[rows].tolist(),
            "resource_inventoried_as_id": [None] * n,
            "resource_quantity": quantity.tolist(),
            "unit": units,
            "effort_quantity": [None] * n,
            "has_point_in_time": [None] * n,
            "has_beginning": [None] * n,
            "has_end": [None] * n,
            "occurred_on": occurred,
            "note": [note] * n,
            "evidence": [""] * n,
            "money_amount": money,
            "currency": currency,
            "declared_value": declared,
            "recorded_by_id": draw.recorder[rows].tolist(),
            "recorded_at": recorded_at,
            "corrects_id": corrects,
            "import_key": [None] * n,
            "source": [""] * n,
        }
        unknown = set(EVENT_COLUMNS) - columns.keys()
        if unknown:  # the ledger gained a column: say where to teach the generator
            raise RuntimeError(f"benchmarks.generate.Rows.events: no value for {sorted(unknown)}")
        return list(zip(*(columns[c] for c in EVENT_COLUMNS), strict=True))

    def changes(
        self,
        draw: Draw,
        rows: np.ndarray,
        ids: np.ndarray,
        status: np.ndarray,
        first_id: int,
        cast: Cast,
    ) -> list[tuple]:
        """Every event was proposed by its recorder; confirmed or disputed ones were then
        confirmed or disputed by the counterparty, the next day."""
        platform = cast.platforms[draw.p[rows]].tolist()
        day = draw.day[rows].tolist()
        n = len(ids)
        proposed = list(
            zip(
                range(first_id, first_id + n),
                platform,
                ids.tolist(),
                ["proposed"] * n,
                draw.recorder[rows].tolist(),
                [""] * n,
                [self.recorded[d] for d in day],
                strict=True,
            )
        )
        later = np.flatnonzero(status != "proposed")
        reasons = [
            "" if s == "confirmed" else "quantity not recognised" for s in status[later].tolist()
        ]
        answered = list(
            zip(
                range(first_id + n, first_id + n + len(later)),
                [platform[i] for i in later.tolist()],
                ids[later].tolist(),
                status[later].tolist(),
                draw.confirmer[rows][later].tolist(),
                reasons,
                [self.confirmed[day[i]] for i in later.tolist()],
                strict=True,
            )
        )
        return proposed + answered

    def states(self, draw, rows, ids, status, corrected, cast) -> list[tuple]:
        counted = (status == "confirmed") & ~corrected
        return list(
            zip(
                ids.tolist(),
                cast.platforms[draw.p[rows]].tolist(),
                status.tolist(),
                self.flag(corrected),
                self.flag(counted),
                strict=True,
            )
        )


def _day_after(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def _statuses(rng, size: int) -> np.ndarray:
    names = np.array([name for name, _ in STATUSES])
    weights = np.array([share for _, share in STATUSES])
    return names[rng.choice(len(names), size=size, p=weights / weights.sum())]


def write_chunk(
    rng, cast: Cast, rows: Rows, size: int, days: range, next_ids: dict
) -> tuple[dict[str, int], tuple[list[tuple], list[tuple]]]:
    """`size` events: ordinary ones, some of them corrected, and their corrections; returns
    how many of each status, and the event and status-change rows written (for the chain)."""
    corrections = int(round(size * CORRECTED / (1 + CORRECTED)))
    base = size - corrections
    draw = Draw(rng, cast, base, days)
    status = _statuses(rng, base)
    corrected = np.zeros(base, dtype=bool)
    picked = rng.choice(base, size=corrections, replace=False)
    corrected[picked] = True
    status[picked] = "confirmed"
    everything = np.arange(base)
    ids = next_ids["event"] + everything
    # A correction repeats its event with one more step of quantity (the usual mistake:
    # a night or an hour forgotten), and is confirmed in turn.
    step = np.array([k.quantity[2] for k in FLOW_KINDS])[draw.kind[picked]]
    correction_ids = next_ids["event"] + base + np.arange(corrections)
    correction_status = np.full(corrections, "confirmed", dtype=status.dtype)
    event_rows = rows.events(draw, everything, ids, [None] * base, draw.quantity, "", cast)
    event_rows += rows.events(
        draw,
        picked,
        correction_ids,
        ids[picked].tolist(),
        draw.quantity[picked] + step,
        "correction",
        cast,
    )
    change_rows = rows.changes(draw, everything, ids, status, next_ids["change"], cast)
    change_rows += rows.changes(
        draw, picked, correction_ids, correction_status, next_ids["change"] + len(change_rows), cast
    )
    state_rows = rows.states(draw, everything, ids, status, corrected, cast)
    state_rows += rows.states(
        draw, picked, correction_ids, correction_status, np.zeros(corrections, dtype=bool), cast
    )
    with transaction.atomic():
        insert("ledger_economicevent", EVENT_COLUMNS, event_rows)
        insert("ledger_eventstatuschange", CHANGE_COLUMNS, change_rows)
        insert("ledger_eventstate", STATE_COLUMNS, state_rows)
    next_ids["event"] += size
    next_ids["change"] += len(change_rows)
    counts = {name: int(np.sum(status[~corrected] == name)) for name, _ in STATUSES}
    counts["corrected"] = corrections
    counts["confirmed"] += corrections  # the corrections themselves
    return counts, (event_rows, change_rows)


def insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany on SQLite."""
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


# --- projections ----------------------------------------------------------------


def rollup_months(platform_ids: list[int]) -> None:
    """`LedgerMonth` from the counted events: the sums `_add_to_month` keeps, in one query."""
    month = (
        "date_trunc('month', e.occurred_on)::date"
        if connection.vendor == "postgresql"
        else "date(e.occurred_on, 'start of month')"
    )
    marks = ", ".join(["%s"] * len(platform_ids))
    sql = f"""
        INSERT INTO ledger_ledgermonth
            (platform_id, month, specification_id, provider_id, receiver_id,
             quantity, money, declared, events)
        SELECT e.platform_id, {month}, e.resource_conforms_to_id, e.provider_id, e.receiver_id,
               SUM(e.resource_quantity), COALESCE(SUM(e.money_amount), 0),
               COALESCE(SUM(e.declared_value), 0), COUNT(*)
        FROM ledger_economicevent e JOIN ledger_eventstate s ON s.event_id = e.id
        WHERE s.counted AND e.platform_id IN ({marks})
        GROUP BY e.platform_id, {month}, e.resource_conforms_to_id, e.provider_id,
                 e.receiver_id
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, platform_ids)


def _next_ids() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM ledger_economicevent")
        event = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM ledger_eventstatuschange")
        change = cursor.fetchone()[0]
    return {"event": event, "change": change}


def _reset_sequences() -> None:
    """Explicit ids were written: move PostgreSQL's id sequences past them."""
    models = [EconomicEvent, EventStatusChange, LedgerMonth]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _tune_for_bulk_load() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB: indexes stay in memory


def generate(
    events: int,
    platforms: int,
    *,
    seed: int = 2026,
    prefix: str = "bench",
    progress: Callable[[str], None] | None = None,
) -> Ledger:
    """A ledger of `events` events over `platforms` new platforms, projections included."""
    started = time.perf_counter()
    say = progress or (lambda line: None)
    _tune_for_bulk_load()
    cast = create_cast(platforms, prefix)
    say(f"  {platforms} platforms created ({time.perf_counter() - started:.1f} s)")
    with indexes_and_keys_set_aside(BULK_TABLES):
        writing = time.perf_counter()
        counts, linking = _write_events(events, cast, np.random.default_rng(seed), say)
        loaded = time.perf_counter()
    say(f"  hash chains linked as the events were written ({linking:.1f} s)")
    say(f"  indexes rebuilt and foreign keys checked ({time.perf_counter() - loaded:.1f} s)")
    rollup_months(cast.platforms.tolist())
    if connection.vendor == "postgresql":
        _reset_sequences()
    with connection.cursor() as cursor:
        # As after any bulk load (a restore included): statistics for the planner, and on
        # PostgreSQL the map of pages all transactions see, which lets an index answer
        # alone (a ledger's late page counts its rows off the index). Autovacuum keeps it
        # on a live database; a freshly loaded one has none yet.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")  # (a test's transaction)
    seconds = time.perf_counter() - started
    say(f"  monthly rollups and statistics done ({seconds:.1f} s in all)")
    return Ledger(cast, events, counts, seconds, loaded - writing - linking)


class Chained:
    """A bulk-written table's rows as the hash chain takes them, (table, id, content), the
    content computed from the values written, as the database gives them back (the import
    links its rows the same way): nothing is read back."""

    def __init__(self, model, columns: list[str]):
        fields = {f.column: f for f in model._meta.concrete_fields}
        self.model, self.table = model, model._meta.db_table
        self.attnames = [fields[column].attname for column in columns]
        self.id, self.platform = columns.index("id"), columns.index("platform_id")
        self.read = [
            (i, read)
            for i, read in enumerate(_as_read(fields[column]) for column in columns)
            if read is not None
        ]

    def by_platform(self, rows: list[tuple]) -> dict[int, list[tuple[str, int, str]]]:
        found = defaultdict(list)
        content_of, model, table, attnames = chain.content_of, self.model, self.table, self.attnames
        for row in rows:
            values = list(row)
            for index, read in self.read:
                if values[index] is not None:
                    values[index] = read(values[index])
            text = content_of(model, dict(zip(attnames, values, strict=True)))
            found[row[self.platform]].append((table, row[self.id], text))
        return found


def _as_read(field) -> Callable | None:
    """How a value the generator writes reads back from the database; None: as it is."""
    kind = field.get_internal_type()
    if kind == "DecimalField":
        # Cents and half steps: a float's shortest text is the decimal the column keeps.
        return lambda value: Decimal(repr(value)) if type(value) is float else Decimal(value)
    if kind == "DateTimeField":
        return _moment
    if kind == "DateField":
        return _day
    return None


@functools.cache
def _moment(text: str) -> datetime:
    """A time as written ("… 18:00:00+00" on PostgreSQL, "… 18:00:00" on SQLite: UTC)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@functools.cache
def _day(text: str) -> date:
    return date.fromisoformat(text)


EVENTS_CHAINED = Chained(EconomicEvent, EVENT_COLUMNS)
CHANGES_CHAINED = Chained(EventStatusChange, CHANGE_COLUMNS)


def link_chunk(event_rows: list[tuple], change_rows: list[tuple]) -> None:
    """A chunk's rows join each platform's hash chain: its events, then their histories."""
    events = EVENTS_CHAINED.by_platform(event_rows)
    changes = CHANGES_CHAINED.by_platform(change_rows)
    for platform_id in sorted(events.keys() | changes.keys()):
        chain.link(platform_id, [*events.get(platform_id, ()), *changes.get(platform_id, ())])


def _write_events(events: int, cast: Cast, rng, say) -> tuple[dict[str, int], float]:
    """The events, and the seconds spent linking them into the hash chains."""
    started = time.perf_counter()
    days = [(FIRST_DAY + timedelta(days=d)).isoformat() for d in range(DAYS)]
    rows = Rows(connection.vendor, days)
    next_ids = _next_ids()
    counts = {name: 0 for name, _ in STATUSES} | {"corrected": 0}
    chunks = -(-events // CHUNK)
    done, linking = 0, 0.0
    while done < events:
        size = min(CHUNK, events - done)
        index = done // CHUNK
        span = range(index * DAYS // chunks, (index + 1) * DAYS // chunks)
        written, (event_rows, change_rows) = write_chunk(rng, cast, rows, size, span, next_ids)
        for name, count in written.items():
            counts[name] += count
        # Linked from the rows in hand, a chunk at a time (a whole ledger's contents would
        # not fit in memory), timed apart from the writing.
        linked = time.perf_counter()
        link_chunk(event_rows, change_rows)
        linking += time.perf_counter() - linked
        done += size
        elapsed = time.perf_counter() - started - linking
        say(
            f"  {done:>12,} / {events:,} events  {elapsed:7.1f} s  ({done / elapsed:,.0f} events/s)"
        )
    return counts, linking

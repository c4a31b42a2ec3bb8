"""The import, timed: a CSV table of events for a new platform, drawn like the generated
ledger, imported through `tribu.interchange.import_events_csv` (every rule checked) in a
process of its own, while this process keeps writing as another person would.

The floor is the generator's bulk writer in the same run (raw inserts without any check);
the figure is the import's rate and its ratio to the floor. The import's own process
reports its peak memory (the resident set's high-water mark), and the writer beside it
reports the longest any of its writes waited.

The timed child is `python -m benchmarks.import_child FILE PLATFORM`.
"""

import csv
import json
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import numpy as np

from .generate import DAYS, FIRST_DAY, FLOW_KINDS, Draw, _statuses, create_cast

CORRECT_EVERY = 25  # one event in 25 corrects the one before it (4 %, as generated)
PROBE_EVERY = 0.2  # seconds between two writes of the other person
COLUMNS = [
    "key",
    "action",
    "provider",
    "receiver",
    "spec",
    "quantity",
    "date",
    "money_amount",
    "declared_value",
    "recorded_by",
    "status",
    "confirmed_by",
    "disputed_by",
    "reason",
    "corrects",
    "note",
]


@dataclass
class ImportRun:
    events: int
    seconds: float
    peak_mib: float
    base_mib: float
    waits: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def write_table(path: Path, events: int, seed: int) -> str:
    """A CSV table of `events` events for a new platform; returns the platform's slug."""
    from tribu.agents.models import Agent
    from tribu.ledger.models import ResourceSpecification

    cast = create_cast(1, prefix="import")
    platform_id = int(cast.platforms[0])
    slugs = dict(Agent.objects.filter(platform_id=platform_id).values_list("pk", "slug"))
    specs = dict(
        ResourceSpecification.objects.filter(platform_id=platform_id).values_list("pk", "slug")
    )
    rng = np.random.default_rng(seed)
    draw = Draw(rng, cast, events, range(0, DAYS))
    status = _statuses(rng, events)
    clients = set(cast.clients[0].tolist())
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for i in range(events):
            writer.writerow(_row(i, draw, status, slugs, specs, clients, int(cast.hana[0])))
    from tribu.platforms.models import Platform

    return Platform.objects.get(pk=platform_id).slug


def _row(i, draw, status, slugs, specs, clients, hana) -> list:
    if i % CORRECT_EVERY != CORRECT_EVERY - 1:
        return _flow(i, draw, str(status[i]), slugs, specs, clients, hana)
    # A correction repeats the previous row with one more step of quantity (the usual
    # mistake: a night or an hour forgotten), and is confirmed in turn.
    row = dict(
        zip(COLUMNS, _flow(i - 1, draw, "confirmed", slugs, specs, clients, hana), strict=True)
    )
    step = FLOW_KINDS[int(draw.kind[i - 1])].quantity[2]
    row |= {
        "key": f"k{i}",
        "quantity": _quantity(float(draw.quantity[i - 1]) + step),
        "corrects": f"k{i - 1}",
        "note": "correction",
    }
    return [row[name] for name in COLUMNS]


def _flow(i, draw, final, slugs, specs, clients, hana) -> list:
    kind = FLOW_KINDS[int(draw.kind[i])]
    recorder, confirmer = int(draw.recorder[i]), int(draw.confirmer[i])
    if recorder in clients:  # a client company has no member: the host's steward records
        recorder, confirmer = hana, recorder
    cents = int(draw.cents[i])
    value = f"{cents // 100}.{cents % 100:02d}"
    kind_of_value = kind.value[0] if kind.value else ""
    day = FIRST_DAY + timedelta(days=int(draw.day[i]))
    return [
        f"k{i}",
        kind.action,
        slugs[int(draw.provider[i])],
        slugs[int(draw.receiver[i])],
        specs[int(draw.spec[i])],
        _quantity(float(draw.quantity[i])),
        day.isoformat(),
        value if kind_of_value == "money" else "",
        value if kind_of_value == "declared" else "",
        slugs[recorder],
        final,
        slugs[confirmer] if final == "confirmed" else "",
        slugs[confirmer] if final == "disputed" else "",
        "quantity not recognised" if final == "disputed" else "",
        "",
        "",
    ]


def _quantity(value: float) -> str:
    return f"{value:g}"


def run_import(path: Path, slug: str, probe_platform) -> ImportRun:
    """Import `path` in a child process while this one records an event every 0.2 s."""
    waits: list[float] = []
    done = threading.Event()
    probe = threading.Thread(target=_probe, args=(probe_platform, done, waits))
    probe.start()
    try:
        child = subprocess.run(
            [sys.executable, "-m", "benchmarks.import_child", str(path), slug],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parent.parent,
        )
    finally:
        done.set()
        probe.join()
    if child.returncode != 0:
        raise RuntimeError(f"the import failed:\n{child.stderr[-3000:]}")
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    return ImportRun(waits=waits, **figures)


def _probe(platform, done: threading.Event, waits: list[float]) -> None:
    """Another person records flows during the import; each write's wait is kept."""
    from django.db import connection

    from tribu.agents.models import Agent
    from tribu.ledger.models import ResourceSpecification
    from tribu.ledger.services import Flow, record_event

    try:
        resident = Agent.objects.get(platform=platform, slug="r00")
        other = Agent.objects.get(platform=platform, slug="r01")
        spec = ResourceSpecification.objects.get(platform=platform, slug="volunteer-hour")
        number = 0
        while not done.wait(PROBE_EVERY):
            number += 1
            flow = Flow(
                action="deliverService",
                provider=resident,
                receiver=other,
                specification=spec,
                quantity=1,
                occurred=FIRST_DAY,
                import_key=f"probe-{time.time_ns()}-{number}",
            )
            started = time.perf_counter()
            record_event(platform, resident, flow)
            waits.append(time.perf_counter() - started)
    finally:
        connection.close()


def report(run: ImportRun, floor_rate: float, generation_rate: float) -> str:
    waits = sorted(run.waits) or [0.0]
    return "\n".join(
        [
            f"import of a {run.events:,}-event CSV table (every rule checked), "
            "beside the bulk writer (no check) of this run:",
            "",
            "| | events/s | ratio to the bulk writer |",
            "|---|---:|---:|",
            f"| bulk writer, inserts alone (floor) | {floor_rate:,.0f} | 1 |",
            f"| bulk writer with index rebuilds and rollups | {generation_rate:,.0f} | "
            f"{generation_rate / floor_rate:.2f} |",
            f"| import | {run.rate:,.0f} | {run.rate / floor_rate:.2f} |",
            "",
            f"import: {run.seconds:.1f} s; peak memory {run.peak_mib:,.0f} MiB "
            f"(of which {run.peak_mib - run.base_mib:,.0f} MiB above the process after start-up)",
            f"another person's writes during the import: {len(run.waits)}, "
            f"median {statistics.median(waits) * 1000:.0f} ms, "
            f"longest {waits[-1] * 1000:.0f} ms",
            "waits in order (ms): " + " ".join(f"{w * 1000:.0f}" for w in run.waits),
        ]
    )

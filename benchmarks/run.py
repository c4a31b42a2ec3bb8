"""`python -m benchmarks.run`: generate a large ledger, then time host reports against the
raw-SQL floor on the same, separate database.

    python -m benchmarks.run                       # 1,000,000 events, SQLite, var/bench/
    python -m benchmarks.run --big                 # 10,000,000 events
    python -m benchmarks.run --database-url postgres://postgres@127.0.0.1:5432/bench

The database is created afresh at every run (a PostgreSQL database is dropped and created
again, so its name must contain "bench"). Nothing is timed in the test suite: the smoke
test only checks that the figures agree.
"""

import argparse
import os
import platform as host_platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQLITE_FILE = ROOT / "var" / "bench" / "bench.sqlite3"
MEASURED_PLATFORMS = 3
PARTS = ("reports", "import", "web")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--events", type=int, help="events to generate (default 1,000,000)")
    parser.add_argument("--big", action="store_true", help="10,000,000 events")
    parser.add_argument("--platforms", type=int, default=50)
    parser.add_argument(
        "--database-url",
        default="",
        help="postgres://…/bench (default: a SQLite file under var/bench/)",
    )
    parser.add_argument(
        "--repetitions", type=int, default=9, help="timed runs per figure (the median is shown)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--import-events",
        type=int,
        default=100_000,
        help="events in the CSV table whose import is timed (default 100,000)",
    )
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"what to measure after generating, among {', '.join(PARTS)} (default: all)",
    )
    parser.add_argument(
        "--web-seconds", type=float, default=20, help="load time per page (default 20 s)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database of the previous run instead of generating one "
        "(reports and web only)",
    )
    args = parser.parse_args(argv)
    args.parts = [part.strip() for part in args.parts.split(",") if part.strip()]
    if set(args.parts) - set(PARTS):
        parser.error(f"--parts: expected some of {', '.join(PARTS)}")
    args.events = args.events or (10_000_000 if args.big else 1_000_000)
    if args.events < 1 or args.platforms < 1:
        parser.error("--events and --platforms must be at least 1")
    return args


def fresh_database(url: str) -> str:
    """Point Django's settings at a new, empty database; returns its description."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Measured as in production: no query log, no debug tooling.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    if url:
        os.environ["DATABASE_URL"] = url
        return _fresh_postgresql(url)
    os.environ.pop("DATABASE_URL", None)
    SQLITE_FILE.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    os.environ["SQLITE_PATH"] = str(SQLITE_FILE)
    return f"SQLite file {SQLITE_FILE.relative_to(ROOT)}"


def _fresh_postgresql(url: str) -> str:
    import dj_database_url
    import psycopg
    from psycopg import sql

    settings = dj_database_url.parse(url)
    name = settings["NAME"]
    if "bench" not in name:
        sys.exit(
            f"--database-url: the database “{name}” is dropped and created again at "
            "every run; its name must contain “bench”"
        )
    server = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"PostgreSQL database “{name}” on {settings['HOST']}:{settings['PORT']}"


def machine() -> list[str]:
    from django.db import connection

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _lines("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        host_platform.processor(),
    )
    memory = next(
        (line.split()[1] for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), "0"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version()"
            if connection.vendor == "postgresql"
            else "SELECT 'SQLite ' || sqlite_version()"
        )
        engine = cursor.fetchone()[0].split(" on ")[0]
    return [
        f"date:    {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"machine: {cpu}, {os.cpu_count()} cores, {int(memory) / 2**20:.0f} GiB, "
        f"{host_platform.platform()}",
        f"python:  {host_platform.python_version()}, engine: {engine}",
        f"load:    {load_average()}",
    ]


def load_average() -> str:
    """Other work on the machine slows every figure: say how busy it was."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def impact_map_worst_case(repetitions: int) -> list[str]:
    from . import impact_map

    print(f"\nbefore measuring: {load_average()}")
    timings = impact_map.measure(max(3, repetitions // 3))
    print(impact_map.table(timings))
    return impact_map.problems(timings)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows up in a redirected log too
    described = (
        existing_database(args.database_url) if args.reuse else fresh_database(args.database_url)
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from .generate import generate
    from .verify import ledger_check_problems, projection_problems

    print("\n".join(machine()))
    print(f"database: {described}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if args.reuse:
        return measure_reused(args, started)
    print(
        f"migrated ({time.perf_counter() - started:.1f} s); generating {args.events:,} "
        f"events over {args.platforms} platforms"
    )
    ledger = generate(args.events, args.platforms, seed=args.seed, progress=print)
    shares = ", ".join(f"{name} {count:,}" for name, count in ledger.counts.items())
    print(
        f"generated in {ledger.seconds:.1f} s ({args.events / ledger.seconds:,.0f} events/s): "
        f"{shares}"
    )

    checked = time.perf_counter()
    problems = ledger_check_problems()
    source = "tribu.ledger.checks"
    if problems is None:  # the project's own checks are absent: recompute in SQL here
        problems, source = projection_problems(), "SQL recomputation"
    print(
        f"projections checked by {source} in {time.perf_counter() - checked:.1f} s: "
        + ("consistent" if not problems else "INCONSISTENT")
    )
    if problems:
        print("\n".join(f"  {p}" for p in problems))
        return 1

    ids = ledger.cast.platforms.tolist()
    if "reports" in args.parts and measure_reports(ids, args) != 0:
        return 1
    floors = (args.events / ledger.write_seconds, args.events / ledger.seconds)
    if "import" in args.parts and measure_import(ids, args, floors) != 0:
        return 1
    if "web" in args.parts:
        measure_web(ids, args)
    print(f"Total {time.perf_counter() - started:.0f} s.")
    return 0


def existing_database(url: str) -> str:
    """The previous run's database, as it is (`--reuse`)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    if url:
        os.environ["DATABASE_URL"] = url
        return f"PostgreSQL database of the previous run ({url.rsplit('/', 1)[-1]})"
    os.environ.pop("DATABASE_URL", None)
    if not SQLITE_FILE.exists():
        sys.exit(f"--reuse: no {SQLITE_FILE.relative_to(ROOT)}: run the benchmark once first")
    os.environ["SQLITE_PATH"] = str(SQLITE_FILE)
    return f"SQLite file {SQLITE_FILE.relative_to(ROOT)} of the previous run"


def measure_reused(args, started: float) -> int:
    from tribu.ledger.models import EconomicEvent
    from tribu.platforms.models import Platform

    ids = list(
        Platform.objects.filter(slug__startswith="bench-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    print(f"{EconomicEvent.objects.count():,} events over {len(ids)} benchmark platforms")
    if "reports" in args.parts and measure_reports(ids, args) != 0:
        return 1
    if "web" in args.parts:
        measure_web(ids, args)
    print(f"Total {time.perf_counter() - started:.0f} s.")
    return 0


def measure_web(ids: list[int], args) -> None:
    from tribu.platforms.models import Platform

    from .web import measure_pages
    from .web import report as web_report

    print(f"\nbefore loading the pages: {load_average()}")
    runs = measure_pages(Platform.objects.get(pk=ids[0]), args.web_seconds)
    print(web_report(runs))
    print(f"after: {load_average()}")


def measure_reports(ids: list[int], args) -> int:
    from tribu.platforms.models import Platform

    from .measure import cases_for, measure, table

    picked = sorted({ids[0], ids[len(ids) // 2], ids[-1]})[:MEASURED_PLATFORMS]
    cases = cases_for(list(Platform.objects.filter(pk__in=picked).order_by("pk")))
    print(f"\nbefore measuring: {load_average()}")
    print(
        f"host balance sheet, median of {args.repetitions} runs "
        "(full report and Monte Carlo: 10,000 draws)"
    )
    for case in cases:
        measure(case, args.repetitions, max(3, args.repetitions // 3))
    print(table(cases))
    wrong = [p for c in cases for p in c.problems]
    wrong += impact_map_worst_case(args.repetitions)
    if wrong:
        print("Wrong figures or answers:\n" + "\n".join(f"  {p}" for p in wrong))
        return 1
    print("Tribu's sums equal the raw-SQL floor's in every case.")
    return 0


def measure_import(ids: list[int], args, floors: tuple[float, float]) -> int:
    from tribu.ledger.checks import run_checks
    from tribu.platforms.models import Platform

    from .importing import report, run_import, write_table

    path = SQLITE_FILE.parent / "import.csv"
    path.parent.mkdir(parents=True, exist_ok=True)  # on PostgreSQL, nothing made it yet
    slug = write_table(path, args.import_events, args.seed)
    print(f"\nbefore importing: {load_average()}")
    run = run_import(path, slug, Platform.objects.get(pk=ids[0]))
    print(report(run, *floors))
    failed = [r for r in run_checks(Platform.objects.get(slug=slug)) if not r.ok]
    print(
        "imported platform checked by tribu.ledger.checks: "
        + ("INCONSISTENT" if failed else "consistent")
    )
    for result in failed:
        print(f"  {result.name}: {result.detail}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m benchmarks.convince`: a forecast with 10,000 draws and a funding dossier as
PDF, timed against the balance sheet of the same platform (Le Sentier, the demo's company
host), on a fresh SQLite file. The balance sheet is the floor: each figure is shown as a
multiple of it, measured in the same run, so that the machine's speed cancels out.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQLITE_FILE = ROOT / "var" / "bench" / "convince.sqlite3"
DRAWS = 10_000


def _fresh() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.pop("DATABASE_URL", None)
    SQLITE_FILE.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    os.environ["SQLITE_PATH"] = str(SQLITE_FILE)


def _median(run, repetitions: int) -> float:
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cases(platform, user, draws: int) -> dict:
    """The three timed operations on ``platform`` (the forecast saved once, first)."""
    from tribu.dossiers.pdf import dossier_pdf
    from tribu.forecasts import services
    from tribu.reports.balance import agent_balance

    entry = {**services.template_entry(platform), "years": 3, "monthly_rent": "11300"}
    version = services.save_forecast(platform, user, entry)
    return {
        "balance sheet (floor)": lambda: agent_balance(platform, platform.host, draws=draws),
        f"forecast, {draws} draws": lambda: services.evaluate_version(version, draws=draws),
        "sponsor dossier (PDF)": lambda: dossier_pdf(platform, "sponsor", "fr", 50000, 4000000),
    }


def measure(platform, user, draws: int = DRAWS, repetitions: int = 5) -> list[tuple]:
    timed = {name: _median(run, repetitions) for name, run in cases(platform, user, draws).items()}
    floor = next(iter(timed.values()))
    return [(name, seconds, seconds / floor) for name, seconds in timed.items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.convince", description=__doc__)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--draws", type=int, default=DRAWS)
    args = parser.parse_args(argv)
    _fresh()
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from tribu.agents.models import Agent
    from tribu.demo import sentier

    call_command("migrate", verbosity=0)
    platform = sentier.build(date.today(), lambda _message: None)
    user = Agent.objects.get(platform=platform, slug="hana").user
    print(f"Le Sentier, {args.repetitions} runs each, median; the balance sheet is the floor")
    for name, seconds, ratio in measure(platform, user, args.draws, args.repetitions):
        print(f"  {name:<28} {seconds * 1000:9.1f} ms   × {ratio:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m benchmarks.import_child FILE PLATFORM`: import a CSV table, print one JSON
line (events, seconds, peak memory). A process of its own, so that its memory is the
import's alone."""

import json
import resource
import sys
import time
from pathlib import Path


def _rss_mib() -> float:
    """This process's peak resident set (VmHWM: unlike `ru_maxrss`, not inherited from the
    parent that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(path: str, slug: str) -> int:
    import django

    django.setup()
    from tribu.interchange import import_events_csv

    base = _rss_mib()
    started = time.perf_counter()
    summary = import_events_csv(Path(path), slug)
    seconds = time.perf_counter() - started
    figures = {"events": summary.events, "seconds": seconds, "peak_mib": _rss_mib()}
    print(json.dumps(figures | {"base_mib": base}))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))

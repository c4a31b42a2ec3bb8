"""The pages, timed: gunicorn with 2 workers on the benchmark's database, loaded by a
client for a fixed time per page, beside a trivial page of the same server (the floor).

For a large platform (the first generated one) the pages are: the ledger (first page, a
filtered page, a late page), the host's balance sheet, and the Cause page. A host is given
an account and a session, so that the pages are those its members see. Each page is asked
by `CLIENTS` connections at once for `seconds` seconds after one warm-up request; latencies
give p50 and p95, and requests per second are the answers over the time.
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 4


@dataclass
class PageRun:
    name: str
    path: str
    anonymous: bool = False  # the floor: the login form, as a visitor sees it
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


def pages(slug: str, late_page: int, spec: str) -> list[tuple[str, str]]:
    return [
        ("trivial page (floor): the login form, anonymous", "/accounts/login/"),
        ("ledger, first page", f"/p/{slug}/ledger/"),
        ("ledger, filtered", f"/p/{slug}/ledger/?status=confirmed&spec={spec}"),
        ("ledger, late page", f"/p/{slug}/ledger/?page={late_page}"),
        ("balance sheet", f"/p/{slug}/balance/"),
        ("Cause page", f"/p/{slug}/"),
    ]


def session_for_host(platform) -> str:
    """A session of an account given to the platform's host representative."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tribu.agents.models import Agent

    agent = Agent.objects.get(platform=platform, slug="hana")
    if agent.user_id is None:
        user = get_user_model().objects.create_user(f"bench-{platform.slug}", None, None)
        Agent.objects.filter(pk=agent.pk).update(user=user)
        agent.refresh_from_db()
    client = Client()
    client.force_login(agent.user)
    return client.cookies["sessionid"].value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def load(port: int, run: PageRun, cookie: str, seconds: float) -> None:
    # As behind the TLS proxy production runs behind (no redirection to https).
    headers = {
        "Cookie": ("" if run.anonymous else f"sessionid={cookie}; ") + "django_language=fr",
        "Host": "127.0.0.1",
        "X-Forwarded-Proto": "https",
    }
    _ask(port, run.path, headers)  # warm-up, not counted
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                connection.request("GET", run.path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            with lock:
                if ok:
                    run.latencies.append(time.perf_counter() - began)
                else:
                    run.errors += 1
        connection.close()

    began = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.monotonic() - began


def _ask(port: int, path: str, headers: dict) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return response.status


def measure_pages(platform, seconds: float) -> list[PageRun]:
    from django.core.management import call_command

    from tribu.ledger.models import EconomicEvent

    events = EconomicEvent.objects.filter(platform=platform).count()
    late = max(1, events // 50 - 5)  # 50 events per page: five pages from the end
    cookie = session_for_host(platform)
    # As in production: pages name their static files through the collected manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    port = free_port()
    server = start_server(port)
    try:
        runs = [
            PageRun(name, path, anonymous=index == 0)
            for index, (name, path) in enumerate(pages(platform.slug, late, "hotel-night"))
        ]
        for run in runs:
            load(port, run, cookie, seconds)
        return runs
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(runs: list[PageRun]) -> str:
    floor = runs[0]
    lines = [
        f"pages of one platform, gunicorn with 2 workers, {CLIENTS} clients at once, "
        f"{floor.seconds:.0f} s per page:",
        "",
        "| page | p50 ms | p95 ms | requests/s | share of the floor's requests/s | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        if not run.latencies:
            lines.append(f"| {run.name} | – | – | 0 | 0 | {run.errors} |")
            continue
        lines.append(
            f"| {run.name} | {run.percentile(0.5):.0f} | {run.percentile(0.95):.0f} | "
            f"{run.rate:.1f} | {run.rate / floor.rate:.2f} | {run.errors} |"
        )
    median = statistics.median(floor.latencies) * 1000 if floor.latencies else 0
    lines.append(f"\nfloor median latency {median:.0f} ms")
    return "\n".join(lines)

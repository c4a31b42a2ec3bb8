"""`python -m benchmarks.observatory`: the observatory's figures over a large network of
generated documents, against a plain SQL aggregate over the same rows; then the pull of
a feed of signed documents, against the floor of fetching and verifying it.

    python -m benchmarks.observatory                    # 3,500 platforms × 5 years, SQLite
    python -m benchmarks.observatory --platforms 500 --years 2 --pull 200
    python -m benchmarks.observatory --database-url postgres://postgres@127.0.0.1:5432/bench

Works on its own fresh database, like `benchmarks.run`. Nothing here is timed in tests;
tests/observatory/test_bench.py checks that the figures and the floor agree.
"""

import argparse
import json
import random
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR_SQL = """
    SELECT {column}, COUNT(*), COUNT(DISTINCT platform_ref),
           SUM(CASE WHEN p_above_1 > 0.5 THEN 1 ELSE 0 END), COUNT(p_above_1),
           SUM(benefits), SUM(costs)
    FROM observatory_document
    WHERE withdrawn_at IS NULL AND illustrative = %s
    GROUP BY {column}
"""


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.observatory", description=__doc__)
    parser.add_argument("--platforms", type=int, default=3500)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--pull", type=int, default=1000, help="documents in the pulled feed")
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--database-url", default="")
    return parser.parse_args(argv)


def generate(platforms: int, years: int, seed: int = 2026) -> int:
    """Signed documents of a generated network, stored as a pull would store them."""
    from tribu.observatory import synthetic
    from tribu.observatory.models import Document, Subscription
    from tribu.observatory.services import _columns
    from tribu.observatory.signing import Signer, canonical

    signer = Signer(bytes(32))
    subscription = Subscription.objects.create(
        url="https://bench.invalid/feed.json", public_key=signer.public_key
    )
    rng = random.Random(seed)  # noqa: S311 - generated figures
    rows = []
    for number in range(1, platforms + 1):
        for year in range(2025 - years + 1, 2026):
            doc = synthetic.document(
                signer.fingerprint, number, year, rng, name=f"P{number}", illustrative=False
            )
            rows.append(
                Document(
                    doc_id=doc["id"],
                    body=canonical(doc).decode(),
                    signature=signer.sign(doc),
                    issuer=signer.fingerprint,
                    subscription=subscription,
                    platform_ref=f"{signer.fingerprint}/{doc['platform']['ref']}",
                    **_columns(doc),
                )
            )
    Document.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def floor(column: str) -> dict[str, tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL.format(column=column), [False])
        return {row[0]: row[1:] for row in cursor.fetchall()}


def floor_figures() -> dict:
    return {"cause": floor("cause_category"), "carrier": floor("carrier_profile")}


def disagreements(answer, floors) -> list[str]:
    """Where the observatory's counts and pooled ratios differ from the SQL aggregate."""
    problems = []
    for name, groups in (("cause", answer.by_cause), ("carrier", answer.by_carrier)):
        for group in groups:
            years, platforms, likely, known, benefits, costs = floors[name][group.key]
            if (group.years, group.platforms) != (years, platforms):
                problems.append(f"{name} {group.key}: counts differ")
            if group.hidden:
                continue
            if abs(group.share_likely - likely / known) > 1e-9:
                problems.append(f"{name} {group.key}: share differs")
            if abs(group.pooled - benefits / costs) > 1e-9 * max(1, group.pooled):
                problems.append(f"{name} {group.key}: pooled ratio differs")
    return problems


def median_time(action, repetitions: int) -> tuple[float, object]:
    times, result = [], None
    for _run in range(repetitions):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def serve(body: bytes) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def feed_of(count: int):
    from tribu.observatory import synthetic
    from tribu.observatory.documents import FEED_SCHEMA, now_text
    from tribu.observatory.signing import Signer

    signer = Signer(bytes(range(1, 33)))
    rng = random.Random(7)  # noqa: S311 - generated figures
    issued = now_text()
    documents = [
        signer.envelope(
            synthetic.document(
                signer.fingerprint, n, 2025, rng, name=f"F{n}", illustrative=False, issued_at=issued
            )
        )
        for n in range(1, count + 1)
    ]
    feed = {
        "schema": FEED_SCHEMA,
        "algorithm": "Ed25519",
        "public_key": signer.public_key,
        "documents": documents,
        "withdrawals": [],
    }
    return json.dumps(feed).encode(), signer.public_key


def pull_floor(url: str, public_key: str) -> int:
    """Fetch, parse and verify every signature: what any pull must do at the least."""
    import urllib.request

    from tribu.observatory.signing import verify

    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
        feed = json.loads(response.read())
    return sum(verify(public_key, i["document"], i["signature"]) for i in feed["documents"])


def measure_pull(count: int, repetitions: int) -> list[str]:
    from django.db import transaction

    from tribu.observatory.services import pull, subscribe

    body, public_key = feed_of(count)
    server = serve(body)
    url = f"http://127.0.0.1:{server.server_address[1]}/observatory/feed.json"
    try:
        floor_time, verified = median_time(lambda: pull_floor(url, public_key), repetitions)
        firsts, seconds = [], []
        for run in range(repetitions):
            sid = transaction.savepoint_create()
            subscription = subscribe(f"{url}?run={run}")
            started = time.perf_counter()
            stored = pull(subscription)
            firsts.append(time.perf_counter() - started)
            started = time.perf_counter()
            again = pull(subscription)
            seconds.append(time.perf_counter() - started)
            transaction.savepoint_rollback(sid)
            assert stored == (count, 0) and again == (0, 0), (stored, again)
    finally:
        server.shutdown()
    assert verified == count
    first, second = statistics.median(firsts), statistics.median(seconds)
    return [
        f"pull of {count:,} signed documents ({len(body) / 2**20:.1f} MiB feed), "
        f"median of {repetitions}:",
        f"  floor (fetch, parse, verify signatures): {floor_time * 1000:9.1f} ms",
        f"  first pull (checks + store):             {first * 1000:9.1f} ms  "
        f"×{first / floor_time:.1f} the floor",
        f"  second pull (all known, nothing stored): {second * 1000:9.1f} ms  "
        f"×{second / floor_time:.1f} the floor",
    ]


def main(argv=None) -> int:
    args = parse(argv)
    sys.stdout.reconfigure(line_buffering=True)
    from .run import fresh_database, machine

    described = fresh_database(args.database_url)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from tribu.observatory import figures

    print("\n".join(machine()))
    print(f"database: {described}")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    count = generate(args.platforms, args.years)
    print(
        f"generated {count:,} signed documents ({args.platforms:,} platforms × "
        f"{args.years} years) in {time.perf_counter() - started:.1f} s"
    )
    floor_time, floors = median_time(floor_figures, args.repetitions)
    tribu_time, answer = median_time(lambda: figures.answer(False), args.repetitions)
    problems = disagreements(answer, floors)
    print(
        f"observatory figures by cause and carrier, median of {args.repetitions}:\n"
        f"  floor (two SQL GROUP BY: counts, shares, pooled ratios): {floor_time * 1000:8.1f} ms\n"
        f"  Tribu (same, plus medians, disclosure rules and {figures.RESAMPLES:,}-resample "
        f"bootstraps over platforms): {tribu_time * 1000:8.1f} ms  "
        f"×{tribu_time / floor_time:.1f} the floor"
    )
    if problems:
        print("the figures differ from the floor's:\n  " + "\n  ".join(problems))
        return 1
    print("  counts, shares and pooled ratios equal the floor's in every group")
    with transaction.atomic():
        print("\n".join(measure_pull(args.pull, max(3, args.repetitions // 2))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

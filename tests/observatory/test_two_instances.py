"""Two instances on loopback, each with its own database: a document published on one
appears, verified, on the other; a tampered copy of it is refused."""

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.observatory.helpers import free_port, serve_once
from tribu.observatory import services
from tribu.observatory.models import Document, Refusal
from tribu.observatory.signing import verify

ROOT = Path(__file__).resolve().parents[2]


def run(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def wait_for(url: str, process) -> None:
    for _attempt in range(200):
        assert process.poll() is None, "the other instance stopped"
        try:
            urllib.request.urlopen(url, timeout=1).close()  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


@pytest.fixture(scope="module")
def other_instance(tmp_path_factory):
    """Instance A: its own SQLite database, migrated, seeded, published, then served."""
    folder = tmp_path_factory.mktemp("instance-a")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'a.sqlite3'}",
    }
    run(env, "manage.py", "migrate", "-v0")
    doc_id = run(env, "-m", "tests.observatory.seed_instance").strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/observatory/key.json", server)
        feed = urllib.request.urlopen(base + "/observatory/feed.json", timeout=5).read()  # noqa: S310
        yield base, doc_id, env, json.loads(feed)
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.django_db
def test_a_document_published_on_one_instance_appears_verified_on_the_other(other_instance):
    base, doc_id, env, _feed = other_instance
    subscription = services.subscribe(base + "/observatory/feed.json")
    assert services.pull(subscription) == (1, 0)
    received = Document.objects.get(doc_id=doc_id)
    key = json.load(urllib.request.urlopen(base + "/observatory/key.json", timeout=5))  # noqa: S310
    assert received.issuer == key["fingerprint"]
    assert verify(key["public_key"], json.loads(received.body), received.signature)
    assert received.subscription == subscription and received.platform is None
    assert services.pull(subscription) == (0, 0)  # idempotent
    assert Document.objects.count() == 1
    # Instance A withdraws the year: at the next pull, B drops the document's content.
    run(env, "manage.py", "observatory_publish", "instance-a", "2026", "--withdraw")
    assert services.pull(subscription) == (1, 0)
    received.refresh_from_db()
    assert received.withdrawn_at is not None and received.body == "{}"


@pytest.mark.django_db
def test_a_tampered_document_is_refused_and_nothing_is_stored(other_instance):
    _base, _doc_id, _env, feed = other_instance
    feed["documents"][0]["document"]["economics"]["ratio"] = 42.0
    server = serve_once(json.dumps(feed).encode())
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/observatory/feed.json"
        assert services.pull(services.subscribe(url)) == (0, 1)
    finally:
        server.shutdown()
    assert not Document.objects.exists()
    assert Refusal.objects.get().reason == "bad signature"

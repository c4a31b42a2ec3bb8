"""Received documents: each bad one is refused with its reason, and nothing of it is stored."""

import copy
import io
import json
import random

import pytest

from tests.observatory.helpers import free_port, serve_once
from tribu.observatory import documents, services, synthetic
from tribu.observatory.models import Document, Refusal
from tribu.observatory.signing import Signer, canonical

PEER = Signer(bytes(range(32)))


@pytest.fixture
def subscription(db):
    sub = services.subscribe("https://peer.example.org/observatory/feed.json")
    sub.public_key = PEER.public_key
    sub.save()
    return sub


def good(number: int = 1) -> dict:
    return synthetic.document(
        PEER.fingerprint, number, 2025, random.Random(number), name=f"Lieu {number}"
    )


def test_a_good_document_is_stored_once(subscription):
    item = PEER.envelope(good())
    assert services.receive(subscription, item) == "stored"
    assert services.receive(subscription, copy.deepcopy(item)) == "known"
    assert Document.objects.count() == 1 and not Refusal.objects.exists()


def _tampered(doc):
    item = PEER.envelope(doc)
    item["document"]["economics"]["ratio"] = 9.5
    return item


def _unsigned(doc):
    return {"document": doc}


def _other_key(doc):
    return Signer().envelope(doc)


def _signed_after(change):
    def build(doc):
        change(doc)
        return PEER.envelope(doc)

    return build


def _drop(section, name):
    return lambda doc: doc[section].pop(name)


def _set(section, name, value):
    return lambda doc: doc[section].__setitem__(name, value)


def _top(name, value):
    return lambda doc: doc.__setitem__(name, value)


CASES = {
    "tampered": (_tampered, "bad signature"),
    "unsigned": (_unsigned, "unsigned"),
    "signed by another key": (_other_key, "bad signature"),
    "unknown schema version": (_signed_after(_top("schema", "tribu-indicators/9")), "schema"),
    "missing field": (_signed_after(_drop("place", "surface_m2")), "missing field"),
    "negative surface": (_signed_after(_set("place", "surface_m2", -200)), "negative"),
    "ratio not a number": (_signed_after(_set("economics", "ratio", "NaN")), "not a number"),
    "share above one": (_signed_after(_set("economics", "p_ratio_above_1", 1.5)), "share"),
    "future-dated": (_signed_after(_top("issued_at", "2999-01-01T00:00:00Z")), "future"),
    "future year": (_signed_after(_top("year", 2999)), "year"),
    "oversized": (
        _signed_after(_set("quality", "events_per_line", {f"k{i:05}": i for i in range(99)})),
        "oversized",
    ),
    "malformed": (lambda doc: ["not", "a", "document"], "malformed"),
    "another issuer's id": (_signed_after(_top("id", "someone-else/x/2025/1")), "identifier"),
    "id that breaks a link": (
        _signed_after(lambda doc: doc.__setitem__("id", doc["id"] + "?page=2")),
        "identifier",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_documents_are_refused_with_their_reason(subscription, case, monkeypatch):
    build, reason = CASES[case]
    # A small limit, so that an oversized document stays small to build.
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 2000)
    assert len(canonical(good())) < 2000
    outcome = services.receive(subscription, build(good()))
    assert outcome == "refused"
    assert not Document.objects.exists()
    (refusal,) = Refusal.objects.all()
    assert reason in refusal.reason


def test_duplicate_id_with_different_content_is_refused(subscription):
    first = good()
    services.receive(subscription, PEER.envelope(first))
    changed = copy.deepcopy(first)
    changed["economics"]["ratio"] = first["economics"]["ratio"] + 1
    changed["economics"]["ratio_p95"] = changed["economics"]["ratio"] + 1
    assert services.receive(subscription, PEER.envelope(changed)) == "refused"
    assert "duplicate id" in Refusal.objects.get().reason
    assert Document.objects.get().body.count(str(first["economics"]["ratio"])) >= 1


def test_a_withdrawal_is_honoured(subscription):
    doc = good()
    services.receive(subscription, PEER.envelope(doc))
    withdrawal = {
        "schema": "tribu-withdrawal/1",
        "id": doc["id"] + "/withdrawal",
        "issuer": PEER.fingerprint,
        "issued_at": "2026-02-01T00:00:00Z",
        "withdraws": doc["id"],
    }
    assert services.receive(subscription, PEER.envelope(withdrawal)) == "stored"
    kept = Document.objects.get()
    assert kept.withdrawn_at is not None and kept.body == "{}"
    assert services.receive(subscription, PEER.envelope(doc)) == "known"  # never comes back


def test_an_oversized_or_unreachable_feed_is_refused_and_the_command_says_so(db, monkeypatch):
    from django.core.management import call_command

    feed = {"schema": "tribu-feed/1", "algorithm": "Ed25519", "public_key": PEER.public_key}
    feed["documents"] = [PEER.envelope(good(n)) for n in range(1, 4)]
    server = serve_once(json.dumps(feed).encode())
    big = f"http://127.0.0.1:{server.server_address[1]}/observatory/feed.json"
    services.subscribe(big)
    services.subscribe(f"http://127.0.0.1:{free_port()}/observatory/feed.json")  # nobody there
    monkeypatch.setattr(services, "MAX_FEED_BYTES", 1000)
    out = io.StringIO()
    try:
        call_command("observatory_pull", stdout=out)
    finally:
        server.shutdown()
    assert not Document.objects.exists()
    reasons = sorted(r.reason.split(":")[0] for r in Refusal.objects.all())
    assert reasons == ["oversized feed", "unreachable"]
    assert out.getvalue().count("0 new, 1 refused") == 2
    monkeypatch.setattr(services, "MAX_FEED_BYTES", 5 * 1024 * 1024)
    server = serve_once(json.dumps(feed).encode())
    try:
        sub = services.subscribe(f"http://127.0.0.1:{server.server_address[1]}/feed.json")
        assert services.pull(sub) == (3, 0)
    finally:
        server.shutdown()


def test_a_feed_that_trickles_in_is_refused_within_the_time_limit(db, monkeypatch):
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Trickle(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            self.send_response(200)
            self.end_headers()
            for _byte in range(40):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.05)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(services, "TIMEOUT_SECONDS", 0.5)
    try:
        sub = services.subscribe(f"http://127.0.0.1:{server.server_address[1]}/feed.json")
        assert services.pull(sub) == (0, 1)
    finally:
        server.shutdown()
    # "too slow", not "malformed": the pull stopped before the trickle ended.
    assert Refusal.objects.get().reason.startswith("too slow")

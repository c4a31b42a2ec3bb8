"""The batch import: the services' rules, a constant number of queries, short transactions
that let other people write meanwhile, and a file that a second run completes."""

import threading
import time
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import make_tribe, record
from tribu.core.errors import Conflict
from tribu.interchange import FileError, import_events_csv
from tribu.interchange import writing as writing_module
from tribu.ledger.checks import run_checks
from tribu.ledger.models import EconomicEvent, EventState, EventStatusChange, LedgerMonth
from tribu.ledger.services import confirm_event

HEADER = "key,provider,receiver,spec,quantity,date,recorded_by,status,confirmed_by,corrects\n"


def table(tmp_path, count: int, *, corrections: bool = True, name: str = "flows.csv"):
    """`count` volunteer hours from alice to the host, confirmed by hana; every fifth one
    corrects the one before it."""
    lines = []
    for i in range(count):
        day = date(2025, 1, 1) + timedelta(days=i % 700)
        corrects = f"k{i - 1}" if corrections and i % 5 == 4 else ""
        status = "confirmed,hana" if i % 3 else ","
        lines.append(f"k{i},alice,hote,volunteer-hour,{1 + i % 4},{day},alice,{status},{corrects}")
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(lines) + "\n", "utf-8")
    return path


def assert_sound(platform):
    failures = [r for r in run_checks(platform) if not r.ok]
    assert failures == []


def test_the_projections_are_those_the_services_write(tribe, tmp_path):
    before = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.host, 2)
    confirm_event(before, tribe.hana)
    path = table(tmp_path, 40)
    path.write_text(
        path.read_text("utf-8")
        + f"fix,alice,hote,volunteer-hour,1,2026-03-10,alice,confirmed,hana,event-{before.pk}\n",
        "utf-8",
    )
    summary = import_events_csv(path, "essai")
    assert (summary.events, summary.skipped) == (41, 0)
    assert EventState.objects.get(event=before).corrected
    assert_sound(tribe.platform)
    counted = EventState.objects.filter(platform=tribe.platform, counted=True)
    assert sum(m.events for m in LedgerMonth.objects.filter(platform=tribe.platform)) == (
        counted.count()
    )


def test_the_look_ups_do_not_grow_with_the_file(tribe, tmp_path):
    def queries(count: int, slug: str) -> int:
        make_tribe(slug)
        path = table(tmp_path, count, name=f"{slug}.csv")
        with CaptureQueriesContext(connection) as captured:
            import_events_csv(path, slug)
        return len(captured)

    assert queries(300, "grande") == queries(30, "petite")


def test_a_chunk_of_events_is_written_with_a_fixed_number_of_queries(tribe, tmp_path, monkeypatch):
    monkeypatch.setattr("tribu.interchange.importing.PROGRESS_EVERY", 10)
    path = table(tmp_path, 100)
    with CaptureQueriesContext(connection) as captured:
        import_events_csv(path, "essai")
    writes = [q for q in captured if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    # Per chunk: events, status history, states, corrected states, monthly rollups.
    assert len(writes) <= 10 * 5
    assert_sound(tribe.platform)


def test_a_run_that_stopped_half_way_is_completed_by_the_next(tribe, tmp_path, monkeypatch):
    monkeypatch.setattr("tribu.interchange.importing.PROGRESS_EVERY", 7)
    write_chunk = writing_module._write_chunk
    calls = []

    def failing(platform, part):
        calls.append(len(part))
        if len(calls) == 3:
            raise Conflict("stopped")
        write_chunk(platform, part)

    monkeypatch.setattr(writing_module, "_write_chunk", failing)
    path = table(tmp_path, 30)
    with pytest.raises(Conflict):
        import_events_csv(path, "essai")
    assert EconomicEvent.objects.filter(platform=tribe.platform).count() == 14
    monkeypatch.setattr(writing_module, "_write_chunk", write_chunk)
    summary = import_events_csv(path, "essai")
    assert (summary.events, summary.skipped) == (16, 14)
    assert EconomicEvent.objects.filter(platform=tribe.platform).count() == 30
    assert_sound(tribe.platform)


def test_chunks_written_beside_the_reading_commit_in_order_and_stop_at_a_failure(
    transactional_db, tmp_path, monkeypatch
):
    """Outside a transaction, PostgreSQL writes each chunk in a thread of its own while the
    next is made ready: the chunks still commit in order, a failing one stops the file
    with its error in the reader's language, and the next run completes it."""
    tribe = make_tribe()
    monkeypatch.setattr("tribu.interchange.importing.PROGRESS_EVERY", 7)
    write_chunk = writing_module._write_chunk
    threads, languages = set(), []

    def failing(platform, part):
        threads.add(threading.get_ident())
        languages.append(translation.get_language())
        if len(languages) == 3:
            raise Conflict("stopped")
        write_chunk(platform, part)

    monkeypatch.setattr(writing_module, "_write_chunk", failing)
    path = table(tmp_path, 30)
    with translation.override("en"), pytest.raises(Conflict):
        import_events_csv(path, "essai")
    assert languages == ["en"] * 3
    beside = threading.get_ident() not in threads
    assert beside == (connection.vendor == "postgresql")
    written = EconomicEvent.objects.filter(platform=tribe.platform).order_by("pk")
    assert list(written.values_list("import_key", flat=True)) == [f"k{i}" for i in range(14)]
    monkeypatch.setattr(writing_module, "_write_chunk", write_chunk)
    summary = import_events_csv(path, "essai")
    assert (summary.events, summary.skipped) == (16, 14)
    assert_sound(tribe.platform)


def test_a_key_taken_by_another_writer_meanwhile_stops_the_file_and_is_named(
    tribe, tmp_path, monkeypatch
):
    """Between the check and the write of its chunk, someone records a flow with one of
    the file's keys: the chunk is refused with that key named, nothing of it written."""
    monkeypatch.setattr("tribu.interchange.importing.PROGRESS_EVERY", 10)
    write_chunk = writing_module._write_chunk

    def after_another_write(platform, part):
        if part[0].key == "k10":
            record(tribe, tribe.bob, "volunteer-hour", tribe.bob, tribe.host, 1, import_key="k13")
        write_chunk(platform, part)

    monkeypatch.setattr(writing_module, "_write_chunk", after_another_write)
    with pytest.raises(Conflict, match="k13"):
        import_events_csv(table(tmp_path, 30), "essai")
    keys = EconomicEvent.objects.filter(platform=tribe.platform).values_list("import_key")
    assert sorted(k for (k,) in keys) == sorted([f"k{i}" for i in range(10)] + ["k13"])
    assert_sound(tribe.platform)


def test_the_numbers_taken_for_an_import_are_not_given_to_another_writer(
    tribe, tmp_path, monkeypatch
):
    """The import numbers all its rows before writing the first chunk: someone who records
    an event between two chunks gets a number of their own, and the chain still verifies."""
    monkeypatch.setattr("tribu.interchange.importing.PROGRESS_EVERY", 10)
    write_chunk = writing_module._write_chunk
    others = []

    def after_another_write(platform, part):
        others.append(record(tribe, tribe.bob, "volunteer-hour", tribe.bob, tribe.host, 1))
        write_chunk(platform, part)

    monkeypatch.setattr(writing_module, "_write_chunk", after_another_write)
    summary = import_events_csv(table(tmp_path, 30), "essai")
    assert summary.events == 30 and len(others) == 3
    imported = set(
        EconomicEvent.objects.filter(platform=tribe.platform)
        .exclude(pk__in=[o.pk for o in others])
        .values_list("pk", flat=True)
    )
    assert len(imported) == 30
    assert min(o.pk for o in others) > max(imported)
    assert_sound(tribe.platform)


def test_a_bad_row_anywhere_writes_nothing(tribe, tmp_path):
    path = table(tmp_path, 50)
    text = path.read_text("utf-8").replace("k47,alice,hote", "k47,alice,alice")
    path.write_text(text, "utf-8")
    with translation.override("en"), pytest.raises(FileError) as error:
        import_events_csv(path, "essai")
    assert str(error.value) == "flows.csv, line 49: provider and receiver are the same agent"
    assert not EconomicEvent.objects.filter(platform=tribe.platform).exists()
    assert not EventStatusChange.objects.filter(platform=tribe.platform).exists()


def test_a_dry_run_writes_nothing_and_says_what_it_would_write(tribe, tmp_path):
    summary = import_events_csv(table(tmp_path, 20), "essai", dry_run=True)
    assert summary.events == 20 and summary.status_changes == 13
    assert not EconomicEvent.objects.filter(platform=tribe.platform).exists()


def test_another_person_writes_within_a_second_during_a_large_import(
    transactional_db, tmp_path, monkeypatch
):
    tribe = make_tribe()
    monkeypatch.setattr("tribu.interchange.importing.PROGRESS_EVERY", 100)
    path = table(tmp_path, 6000, corrections=False)
    started = threading.Event()
    outcome = {"done": 0}

    def progress(done, total):
        outcome["done"] = done
        started.set()

    def run():
        try:
            outcome["summary"] = import_events_csv(path, "essai", progress=progress)
        except Exception as exc:  # reported by the assertion below
            outcome["error"] = exc
        finally:
            connections.close_all()

    worker = threading.Thread(target=run)
    worker.start()
    assert started.wait(timeout=120)
    begin = time.monotonic()
    other = record(tribe, tribe.bob, "volunteer-hour", tribe.bob, tribe.host, 1)
    elapsed = time.monotonic() - begin
    written_during = outcome["done"]
    worker.join(timeout=300)
    assert "error" not in outcome and outcome["summary"].events == 6000
    assert written_during < 6000  # the import was still writing
    assert elapsed < 1.0
    assert EconomicEvent.objects.filter(pk=other.pk).exists()
    assert EconomicEvent.objects.filter(platform=tribe.platform).count() == 6001
    assert_sound(tribe.platform)


def test_the_rows_written_in_bulk_are_linked_without_being_read_back(tribe, tmp_path):
    """The chain's links are computed from the values written: no history row is read back,
    and the chain verifies over every kind of column (spans, amounts, quotes, accents, a
    dispute's reason, a resource, a correction of an event already in the ledger, a
    quantity with more decimals than the column keeps: 3.12345, a tie that PostgreSQL would
    round up and SQLite down)."""
    from tribu.spaces.services import add_resource

    add_resource(tribe.platform, slug="salle-1", name="Salle 1", kind="room")
    before = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.host, 2)
    header = (
        "key,provider,receiver,spec,resource,quantity,begin,end,note,money_amount,"
        "declared_value,effort_quantity,recorded_by,recorded_at,status,disputed_by,reason,"
        "corrects\n"
    )
    rows = [
        'a,alice,hote,volunteer-hour,,1.25,2026-03-01T09:00,2026-03-01T10:15+02:00,"un ""mot""\n'
        'sur deux lignes, été",,,,alice,2026-03-02T08:00:00.123456,disputed,hana,'
        "« trop » d’heures,\n",
        f"b,alice,hote,volunteer-hour,salle-1,3.12345,2026-03-05T14:00,,,,,0.5,alice,,,,,"
        f"event-{before.pk}\n",
    ]
    path = tmp_path / "varied.csv"
    path.write_text(header + "".join(rows), "utf-8")
    with CaptureQueriesContext(connection) as captured:
        summary = import_events_csv(path, "essai")
    assert summary.events == 2
    read_back = [
        q["sql"]
        for q in captured
        if q["sql"].lstrip().upper().startswith("SELECT") and '"reason"' in q["sql"]
    ]
    assert read_back == []
    assert_sound(tribe.platform)
    imported = EconomicEvent.objects.get(platform=tribe.platform, import_key="a")
    assert EventStatusChange.objects.filter(event=imported).count() == 2

"""Import and export: lossless, idempotent, atomic, and through the services only."""

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import flow, make_tribe, record
from tribu.interchange import FileError, dumps, export_platform, import_file
from tribu.ledger.catalogue import edit_catalogue
from tribu.ledger.models import (
    CatalogueVersion,
    EconomicEvent,
    EventState,
    EventStatusChange,
    LedgerMonth,
)
from tribu.ledger.services import confirm_event, correct_event, dispute_event, record_event
from tribu.platforms.models import MembershipChange, Platform
from tribu.platforms.services import set_role

ROOT = Path(__file__).resolve().parent.parent
TUTORING = {
    "slug": "tutoring-hour",
    "name_fr": "Heure de tutorat",
    "name_en": "Tutoring hour",
    "unit": "hour",
    "market": "false",
    "headline": "true",
    "cvn_account": "864",
    "proxy_low": "15",
    "proxy_central": "25",
    "proxy_high": "40",
    "source": "Lyon listings",
    "source_date": "2026-01-15",
}


def busy_ledger(tribe):
    """A platform with every kind of record the export must carry."""
    from tribu.spaces.services import add_resource

    t = tribe
    room = add_resource(t.platform, slug="chambre-1", name="Chambre 1", kind="room")
    nights = record(
        t, t.fanny, "hotel-night", t.place, t.host, 3, resource=room, import_key="nights-1"
    )
    confirm_event(nights, t.hana)
    hours = record(
        t,
        t.alice,
        "volunteer-hour",
        t.alice,
        t.host,
        5,
        on=datetime(2026, 3, 11, 9, 30, tzinfo=UTC),
        effort_quantity=Decimal(5),
        ends=datetime(2026, 3, 11, 14, 30, tzinfo=UTC),
        note="wifi et projecteur",
    )
    dispute_event(hours, t.hana, "three hours, not five")
    fix = correct_event(hours, t.alice, flow(t, "volunteer-hour", t.alice, t.host, 3))
    confirm_event(fix, t.hana)
    record(
        t,
        t.hana,
        "rent",
        t.host,
        t.landlord,
        1,
        money_amount=Decimal("2500.00"),
        evidence="https://example.org/rent",
    )
    record_event(
        t.platform,
        t.fanny,
        flow(t, "desk-month", t.place, t.host, 2, source="booking:7"),
        system=True,
    )
    back_and_forth = record(t, t.bob, "volunteer-hour", t.bob, t.host, 1)
    confirm_event(back_and_forth, t.hana)
    dispute_event(back_and_forth, t.hana, "not for us")
    confirm_event(back_and_forth, t.hana)
    edit_catalogue(
        t.platform,
        t.fanny,
        {"hotel-night": {"proxy_central": "150"}},
        note="Lyon",
        new_specifications=[TUTORING],
    )
    record(t, t.alice, "tutoring-hour", t.alice, t.host, 2)
    set_role(t.alice, "alumni", by=t.fanny, reason="moved on")  # after recording her events
    return t.platform


def as_copy(data: dict, slug: str) -> dict:
    data = json.loads(json.dumps(data))
    data["platform"]["slug"] = slug
    return data


def write(tmp_path, data: dict, name: str = "platform.json") -> Path:
    path = tmp_path / name
    path.write_text(dumps(data), encoding="utf-8")
    return path


def test_an_export_imported_as_a_new_platform_exports_identically(tribe, tmp_path):
    original = export_platform(busy_ledger(tribe))
    import_file(write(tmp_path, as_copy(original, "copie")))
    again = export_platform(Platform.objects.get(slug="copie"))
    assert dumps(as_copy(again, "essai")) == dumps(original)


def test_the_copy_counts_what_the_original_counts(tribe, tmp_path):
    original = export_platform(busy_ledger(tribe))
    import_file(write(tmp_path, as_copy(original, "copie")))
    copy = Platform.objects.get(slug="copie")

    def counted(platform):
        return sorted(
            EventState.objects.filter(platform=platform, counted=True).values_list(
                "event__import_key", flat=True
            )
        )

    keys = {e["key"] for e in original["events"]}
    assert set(counted(copy)) <= keys
    assert (
        len(counted(copy))
        == EventState.objects.filter(platform=tribe.platform, counted=True).count()
    )
    assert (
        LedgerMonth.objects.filter(platform=copy).count()
        == LedgerMonth.objects.filter(platform=tribe.platform).count()
    )


def test_an_alumna_who_recorded_events_is_replayed_with_her_events(tribe, tmp_path):
    """Roles without recording rights are given after the events, as they were."""
    original = export_platform(busy_ledger(tribe))
    import_file(write(tmp_path, as_copy(original, "copie")))
    changes = MembershipChange.objects.filter(
        membership__agent__platform__slug="copie", membership__agent__slug="alice"
    )
    assert list(changes.values_list("role", "previous_role", "reason")) == [
        ("resident", "", ""),
        ("alumni", "resident", "moved on"),
    ]


def test_importing_an_export_into_its_own_database_changes_nothing(tribe, tmp_path):
    path = write(tmp_path, export_platform(busy_ledger(tribe)))
    before = (
        EconomicEvent.objects.count(),
        EventStatusChange.objects.count(),
        CatalogueVersion.objects.count(),
        MembershipChange.objects.count(),
    )
    summary = import_file(path)
    assert not summary.changed and summary.skipped == EconomicEvent.objects.count()
    assert before == (
        EconomicEvent.objects.count(),
        EventStatusChange.objects.count(),
        CatalogueVersion.objects.count(),
        MembershipChange.objects.count(),
    )


def test_events_recorded_without_a_key_get_a_stable_one(tribe):
    event = record(tribe, tribe.fanny, "hotel-night", tribe.place, tribe.host, 3)
    exported = export_platform(tribe.platform)["events"]
    assert [e["key"] for e in exported] == [f"event-{event.pk}"]


def test_a_derived_key_that_names_another_event_is_refused(tribe, tmp_path):
    event = record(tribe, tribe.fanny, "hotel-night", tribe.place, tribe.host, 3)
    data = export_platform(tribe.platform)
    data["events"][0]["recorded_at"] = "2020-01-01T00:00:00+00:00"
    del data["chain_head"]  # edited by hand: no longer the export its head was made for
    with translation.override("en"), pytest.raises(FileError, match=f"“event-{event.pk}” names"):
        import_file(write(tmp_path, data))


def test_a_handwritten_catalogue_override_adds_one_version_once(tribe, tmp_path):
    data = {
        "platform": {"slug": "essai"},
        "catalogue": {"note": "Lyon", "overrides": {"hotel-night": {"proxy_central": 120}}},
    }
    path = write(tmp_path, data)
    assert import_file(path).catalogue_versions == 1
    assert import_file(path).catalogue_versions == 0
    assert CatalogueVersion.objects.filter(platform=tribe.platform).count() == 2


def test_datetimes_without_an_offset_are_in_the_platforms_time_zone(tribe, tmp_path):
    data = {
        "platform": {"slug": "essai"},
        "events": [
            {
                "key": "k",
                "provider": "alice",
                "receiver": "bob",
                "spec": "volunteer-hour",
                "quantity": 1,
                "date": "2026-07-01T00:30",
                "recorded_by": "alice",
            }
        ],
    }
    import_file(write(tmp_path, data))
    event = EconomicEvent.objects.get(import_key="k")
    assert event.has_point_in_time == datetime(2026, 6, 30, 22, 30, tzinfo=UTC)
    assert event.occurred_on == date(2026, 7, 1)


def test_an_export_imports_into_a_fresh_database_byte_for_byte(tribe, tmp_path):
    """The real thing: another process, another (empty) SQLite database."""
    source = tmp_path / "essai.json"
    source.write_text(dumps(export_platform(busy_ledger(tribe))), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        SQLITE_PATH=str(tmp_path / "fresh.sqlite3"), DJANGO_SETTINGS_MODULE="config.settings"
    )

    def run(*args):
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done

    run("manage.py", "migrate", "-v0")
    run("-m", "tribu.cli", "import", str(source))
    run("-m", "tribu.cli", "export", str(tmp_path / "again.json"), "--platform", "essai")
    assert (tmp_path / "again.json").read_bytes() == source.read_bytes()


FLOW_STEPS = st.lists(
    st.tuples(
        st.sampled_from(["confirm", "dispute", "correct", "leave"]),
        st.decimals(min_value=0, max_value=10_000, places=4, allow_nan=False),
        st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12),
        st.one_of(
            st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
            st.datetimes(
                min_value=datetime(2024, 1, 1),
                max_value=datetime(2027, 12, 31),
                timezones=st.just(UTC),
            ),
        ),
    ),
    min_size=1,
    max_size=5,
)
ROUND_TRIPS = iter(range(10_000))


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=FLOW_STEPS)
def test_any_small_ledger_survives_the_round_trip(db, tmp_path, steps):
    """Quantities with four decimals, any text, dates and instants, every status path."""
    n = next(ROUND_TRIPS)
    t = make_tribe(f"prop-{n}")
    for action, quantity, note, when in steps:
        event = record(t, t.alice, "volunteer-hour", t.alice, t.bob, quantity, on=when, note=note)
        if action in ("confirm", "dispute"):
            confirm_event(event, t.bob)
        if action == "dispute":
            dispute_event(event, t.bob, note or "why")
        if action == "correct":
            correct_event(event, t.alice, flow(t, "volunteer-hour", t.alice, t.bob, quantity + 1))
    original = export_platform(t.platform)
    import_file(write(tmp_path, as_copy(original, f"copie-{n}"), f"p{n}.json"))
    again = export_platform(Platform.objects.get(slug=f"copie-{n}"))
    assert dumps(as_copy(again, f"prop-{n}")) == dumps(original)


def test_the_first_catalogue_version_keeps_its_note_whatever_the_language(tribe, tmp_path):
    data = as_copy(export_platform(tribe.platform), "copie")
    data["catalogue"]["versions"][0]["note"] = "Catalogue d’origine"
    del data["chain_head"]  # an edited file is no longer the export its head was made for
    with translation.override("en"):
        import_file(write(tmp_path, data))
    version = CatalogueVersion.objects.get(platform__slug="copie", number=1)
    assert version.note == "Catalogue d’origine"


def test_an_older_export_imported_after_role_changes_changes_nothing(tribe, tmp_path):
    path = write(tmp_path, export_platform(tribe.platform))
    set_role(tribe.alice, "alumni", by=tribe.fanny)
    summary = import_file(path)
    assert not summary.changed
    assert MembershipChange.objects.filter(membership__agent=tribe.alice).count() == 2


def test_an_export_carries_the_head_of_its_chain_and_a_copy_keeps_it(tribe, tmp_path):
    original = export_platform(busy_ledger(tribe))
    assert len(original["chain_head"]) == 64
    import_file(write(tmp_path, as_copy(original, "copie")))
    again = export_platform(Platform.objects.get(slug="copie"))
    assert again["chain_head"] == original["chain_head"]


@pytest.mark.parametrize("section", ["events", "agents", "catalogue"])
def test_a_file_changed_after_its_export_is_refused_by_its_chain_head(tribe, tmp_path, section):
    data = as_copy(export_platform(busy_ledger(tribe)), "copie")
    if section == "events":
        data["events"][0]["quantity"] = "99.0000"
    elif section == "agents":
        data["agents"][0]["role_history"][0]["reason"] = "forged"
    else:
        data["catalogue"]["versions"][0]["note"] = "forged"
    with translation.override("en"), pytest.raises(FileError, match="chain head"):
        import_file(write(tmp_path, data))
    assert not Platform.objects.filter(slug="copie").exists()

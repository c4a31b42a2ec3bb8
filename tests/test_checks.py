"""`run_checks`: each ledger invariant holds on a sound ledger and fails when broken.

Projections are ordinary tables and the append-only tables accept inserts, so each test
breaks one invariant behind the services' back, the way a bug or a hand edit would.
"""

import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from tests.factories import make_tribe, record
from tribu.community.guards import HISTORY
from tribu.ledger import guards
from tribu.ledger.checks import (
    CHECKS,
    check_amounts,
    check_corrections,
    check_counterparty,
    check_event_states,
    check_ledger_months,
    check_transitions,
    check_triggers,
    expected_triggers,
    run_checks,
)
from tribu.ledger.models import EconomicEvent, EventState, EventStatusChange, LedgerMonth
from tribu.ledger.services import confirm_event, correct_event, dispute_event


@pytest.fixture(autouse=True)
def english():
    """Details are compared with their English message ids."""
    with translation.override("en"):
        yield


def sound_ledger(tribe):
    """Confirmed, disputed, corrected and system-made events: all checks must pass."""
    from tests.factories import flow
    from tribu.ledger.services import record_event

    t = tribe
    nights = record(t, t.fanny, "hotel-night", t.place, t.host, 3)
    confirm_event(nights, t.hana)
    hours = record(t, t.alice, "volunteer-hour", t.alice, t.bob, 2)
    confirm_event(hours, t.bob)
    dispute_event(hours, t.bob, "one hour")
    confirm_event(hours, t.bob)
    fix = correct_event(nights, t.fanny, flow(t, "hotel-night", t.place, t.host, 2))
    confirm_event(fix, t.hana)
    record_event(
        t.platform,
        t.fanny,
        flow(t, "desk-month", t.place, t.host, 1, source="booking:1"),
        system=True,
    )
    return nights


def raw_event(tribe, **fields) -> EconomicEvent:
    """An event inserted without the services (inserts are allowed; changes are not)."""
    t = tribe
    values = {
        "platform": t.platform,
        "action": "use",
        "provider": t.alice,
        "receiver": t.bob,
        "resource_conforms_to": t.spec("volunteer-hour"),
        "resource_quantity": 1,
        "unit": "hour",
        "occurred_on": "2026-03-10",
        "recorded_by": t.alice,
    }
    return EconomicEvent.objects.create(**{**values, **fields})


def test_every_check_passes_on_a_sound_ledger(tribe):
    sound_ledger(tribe)
    results = run_checks()
    assert [r.ok for r in results] == [True] * len(CHECKS), [r for r in results if not r.ok]
    assert all(r.ok for r in run_checks(tribe.platform))


def test_a_corrupted_event_state_fails(tribe):
    nights = sound_ledger(tribe)
    EventState.objects.filter(event=nights).update(counted=True)
    result = check_event_states(None)
    assert not result.ok and f"#{nights.pk}" in result.detail


def test_an_event_without_a_state_fails(tribe):
    event = raw_event(tribe)
    result = check_event_states(tribe.platform)
    assert not result.ok and result.detail == f"events without a state: #{event.pk}"


def test_a_corrupted_monthly_sum_fails(tribe):
    sound_ledger(tribe)
    LedgerMonth.objects.filter(platform=tribe.platform).update(quantity=Decimal("99"))
    result = check_ledger_months(tribe.platform)
    assert not result.ok and "2026-03" in result.detail


def test_a_missing_monthly_sum_fails(tribe):
    sound_ledger(tribe)
    month = LedgerMonth.objects.filter(platform=tribe.platform, events__gt=0).first()
    LedgerMonth.objects.filter(pk=month.pk).delete()
    assert not check_ledger_months(None).ok


def test_the_checks_of_one_platform_ignore_another(tribe):
    other = make_tribe("autre")
    sound_ledger(other)
    LedgerMonth.objects.filter(platform=other.platform).update(quantity=Decimal("99"))
    assert check_ledger_months(tribe.platform).ok
    assert not check_ledger_months(other.platform).ok


def test_a_correction_of_another_platforms_event_fails(tribe):
    other = make_tribe("autre")
    theirs = record(other, other.alice, "volunteer-hour", other.alice, other.bob, 1)
    if connection.vendor == "postgresql":  # the composite key refuses it (tribu.core.tenancy)
        with pytest.raises(IntegrityError), transaction.atomic():
            raw_event(tribe, corrects=theirs)
            connection.check_constraints()
        return
    mine = raw_event(tribe, corrects=theirs)
    result = check_corrections(tribe.platform)
    assert not result.ok and f"#{mine.pk}" in result.detail


def test_an_event_corrected_twice_fails(tribe):
    nights = sound_ledger(tribe)  # already corrected once, through the services
    raw_event(tribe, corrects=nights)
    result = check_corrections(None)
    assert not result.ok and result.detail == f"events #{nights.pk} are corrected more than once"


def test_an_illegal_status_transition_fails(tribe):
    event = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.bob, 1)
    EventStatusChange.objects.create(
        platform=tribe.platform, event=event, status="proposed", by=tribe.bob
    )  # proposed → proposed
    result = check_transitions(None)
    assert not result.ok and f"#{event.pk}" in result.detail


def test_a_confirmation_by_someone_not_acting_for_the_counterparty_fails(tribe):
    event = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.bob, 1)
    assert check_counterparty(None).ok
    EventStatusChange.objects.create(
        platform=tribe.platform, event=event, status="confirmed", by=tribe.fanny
    )
    result = check_counterparty(tribe.platform)
    assert not result.ok and f"#{event.pk}" in result.detail


def test_a_confirmation_by_the_recorder_fails(tribe):
    event = record(tribe, tribe.fanny, "hotel-night", tribe.place, tribe.host, 1)
    EventStatusChange.objects.create(
        platform=tribe.platform, event=event, status="confirmed", by=tribe.fanny
    )
    assert not check_counterparty(None).ok


def test_a_representative_of_the_counterparty_may_confirm(tribe):
    event = record(tribe, tribe.fanny, "hotel-night", tribe.place, tribe.host, 1)
    confirm_event(event, tribe.hana)  # hana represents the host, the receiver
    assert check_counterparty(None).ok


def test_a_market_event_without_money_fails(tribe):
    event = raw_event(tribe, resource_conforms_to=tribe.spec("rent"), unit="month")
    result = check_amounts(None)
    assert not result.ok and result.detail == f"market events without a money amount: #{event.pk}"


def test_a_negative_amount_fails(tribe):
    event = raw_event(tribe, declared_value=Decimal("-5"))
    result = check_amounts(tribe.platform)
    assert not result.ok and f"#{event.pk}" in result.detail


def test_a_missing_append_only_trigger_fails(tribe):
    assert check_triggers().ok
    guards.remove(connection)  # rolled back with the test; the db fixture reinstalls them
    result = check_triggers()
    assert not result.ok and "ledger_economicevent" in result.detail
    guards.install(connection)
    assert check_triggers().ok


def test_every_guard_is_checked(tribe):
    """`tribu check` looks for the triggers of every guard the settings list, not a few."""
    community_history = HISTORY.trigger_names(connection.vendor)
    assert community_history <= expected_triggers()
    HISTORY.remove(connection)  # rolled back with the test
    result = check_triggers()
    assert not result.ok and "community_vouch" in result.detail
    HISTORY.install(connection)


def test_a_fresh_migrate_leaves_every_guard_in_place(tmp_path):
    """On SQLite, a migration that adds a constraint rebuilds its table and loses the
    table's triggers: a new installation must still pass `tribu check` as it stands."""
    env = {**os.environ, "SQLITE_PATH": str(tmp_path / "fresh.sqlite3")}
    env.pop("DATABASE_URL", None)
    tribu = [sys.executable, "-m", "tribu.cli"]
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True)
    checked = subprocess.run([*tribu, "check"], env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr

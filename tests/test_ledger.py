"""The ledger's write path: who may record, confirm, dispute and correct, and what counts."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from tests.factories import flow, make_tribe, record
from tribu.core.errors import Conflict, NotFound, PermissionDenied, TribuError
from tribu.ledger.models import EconomicEvent, EventState, EventStatusChange, LedgerMonth
from tribu.ledger.services import confirm_event, correct_event, dispute_event, record_event


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the language of their message ids."""
    with translation.override("en"):
        yield


def state(event):
    return EventState.objects.get(event=event)


def test_a_recorded_flow_is_proposed_and_not_counted(tribe):
    event = record(tribe, tribe.fanny, "hotel-night", tribe.place, tribe.host, 3)
    assert state(event).status == "proposed"
    assert not state(event).counted
    assert not LedgerMonth.objects.exists()


def test_the_counterparty_confirms_and_the_month_sums_follow(tribe):
    event = record(tribe, tribe.fanny, "hotel-night", tribe.place, tribe.host, 3)
    confirm_event(event, tribe.hana)  # hana acts for the host, the receiver
    assert state(event).counted
    month = LedgerMonth.objects.get()
    assert (month.quantity, month.events) == (Decimal(3), 1)


def test_only_the_counterparty_may_confirm(tribe):
    event = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.bob, 2)
    with pytest.raises(PermissionDenied, match="counterparty"):
        confirm_event(event, tribe.alice)  # the recorder
    with pytest.raises(PermissionDenied):
        confirm_event(event, tribe.hana)  # a bystander
    confirm_event(event, tribe.bob)
    assert state(event).status == "confirmed"


def test_when_the_receiver_records_the_provider_confirms(tribe):
    event = record(tribe, tribe.bob, "volunteer-hour", tribe.alice, tribe.bob, 2)
    with pytest.raises(PermissionDenied):
        confirm_event(event, tribe.bob)
    confirm_event(event, tribe.alice)


def test_a_dispute_needs_a_reason_and_stops_counting(tribe):
    event = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.bob, 2)
    confirm_event(event, tribe.bob)
    with pytest.raises(TribuError, match="reason"):
        dispute_event(event, tribe.bob, "  ")
    dispute_event(event, tribe.bob, "It was one hour")
    assert state(event).status == "disputed" and not state(event).counted
    assert LedgerMonth.objects.get().events == 0


def test_a_correction_replaces_the_original_which_stays_unchanged(tribe):
    event = record(tribe, tribe.fanny, "hotel-night", tribe.place, tribe.host, 3)
    confirm_event(event, tribe.hana)
    fix = correct_event(
        event, tribe.fanny, flow(tribe, "hotel-night", tribe.place, tribe.host, 2), "two nights"
    )
    assert fix.corrects_id == event.pk
    # Until the counterparty consents, the confirmed original keeps counting.
    assert not state(event).corrected and state(event).counted
    confirm_event(fix, tribe.hana)
    assert state(event).corrected and not state(event).counted
    month = LedgerMonth.objects.get()
    assert (month.quantity, month.events) == (Decimal(2), 1)
    assert EconomicEvent.objects.get(pk=event.pk).resource_quantity == Decimal(3)
    with pytest.raises(Conflict, match="already been corrected"):
        correct_event(event, tribe.fanny, flow(tribe, "hotel-night", tribe.place, tribe.host, 1))


def test_a_corrected_event_can_no_longer_be_confirmed(tribe):
    event = record(tribe, tribe.fanny, "hotel-night", tribe.place, tribe.host, 3)
    correct_event(event, tribe.fanny, flow(tribe, "hotel-night", tribe.place, tribe.host, 2))
    with pytest.raises(Conflict, match="corrected"):
        confirm_event(event, tribe.hana)


def test_another_platform_cannot_touch_events(tribe):
    other = make_tribe("autre")
    event = record(tribe, tribe.fanny, "hotel-night", tribe.place, tribe.host, 3)
    with pytest.raises(NotFound):
        correct_event(event, other.fanny, flow(other, "hotel-night", other.place, other.host, 1))
    with pytest.raises(NotFound):
        confirm_event(event, other.hana)
    with pytest.raises(NotFound, match="no agent"):
        record(tribe, tribe.fanny, "hotel-night", tribe.place, other.host, 1)


@pytest.mark.parametrize(
    ("spec", "quantity", "extra", "message"),
    [
        ("hotel-night", -1, {}, "quantity: -1 is negative"),
        ("learning-expedition", 1, {}, "money_amount: required"),
        ("in-kind-goods", 1, {}, "declared_value"),
        ("hotel-night", "abc", {}, "is not a number"),
        ("hotel-night", 1, {"action": "steal"}, "unknown action"),
    ],
)
def test_bad_flows_are_rejected_and_write_nothing(tribe, spec, quantity, extra, message):
    with pytest.raises(TribuError, match=message):
        record(tribe, tribe.fanny, spec, tribe.place, tribe.host, quantity, **extra)
    assert not EconomicEvent.objects.exists()
    assert not EventStatusChange.objects.exists()


def test_provider_and_receiver_must_differ(tribe):
    with pytest.raises(TribuError, match="same agent"):
        record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.alice, 1)


def test_a_bystander_resident_may_not_record_for_others(tribe):
    with pytest.raises(PermissionDenied, match="neither"):
        record(tribe, tribe.alice, "hotel-night", tribe.place, tribe.host, 1)


def test_system_events_are_confirmed_at_once(tribe):
    event, created = record_event(
        tribe.platform,
        tribe.place,
        flow(tribe, "hotel-night", tribe.place, tribe.host, 1, import_key="booking:1"),
        system=True,
    )
    assert created and state(event).counted


def test_an_import_key_makes_recording_idempotent(tribe):
    first, created = record_event(
        tribe.platform,
        tribe.fanny,
        flow(tribe, "hotel-night", tribe.place, tribe.host, 1, import_key="k1"),
    )
    again, created_again = record_event(
        tribe.platform,
        tribe.fanny,
        flow(tribe, "hotel-night", tribe.place, tribe.host, 1, import_key="k1"),
    )
    assert created and not created_again and first.pk == again.pk
    assert EconomicEvent.objects.count() == 1


def test_a_proxy_with_an_open_end_is_valued_at_its_central_value(tribe):
    """Press coverage has a central proxy of 0 and no high value in the default catalogue."""
    from tribu.reports.aggregates import Period
    from tribu.reports.balance import agent_balance

    event = record(tribe, tribe.fanny, "press-coverage", tribe.place, tribe.host, 2)
    confirm_event(event, tribe.hana)
    sheet = agent_balance(
        tribe.platform, tribe.host, Period(date(2026, 1, 1), date(2027, 1, 1)), draws=100
    )
    assert sheet["tiers"]["non_market"]["off_headline"]


# --- one rule for every front door ------------------------------------------------------


def test_an_event_that_ends_before_it_starts_is_refused_and_nothing_is_written(tribe):
    start = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    backwards = flow(tribe, "volunteer-hour", tribe.alice, tribe.bob, 2, on=start)
    backwards.ends = start - timedelta(hours=1)
    with pytest.raises(TribuError, match="end"):
        record_event(tribe.platform, tribe.alice, backwards)
    assert not EconomicEvent.objects.exists()


def test_an_end_needs_a_start_given_with_its_time(tribe):
    dated = flow(tribe, "volunteer-hour", tribe.alice, tribe.bob, 2)  # a date, no time
    dated.ends = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
    with pytest.raises(TribuError, match="end"):
        record_event(tribe.platform, tribe.alice, dated)


def test_the_import_refuses_an_event_that_ends_before_it_starts(tribe, capsys, tmp_path):
    from tribu.cli import main

    table = tmp_path / "flows.csv"
    table.write_text(
        "key,provider,receiver,spec,quantity,begin,end,recorded_by\n"
        "b1,alice,bob,volunteer-hour,2,2026-03-02T14:00,2026-03-02T12:00,alice\n",
        "utf-8",
    )
    code = main(["--language", "en", "import", str(table), "--platform", "essai"])
    assert code != 0 and "end" in capsys.readouterr().err
    assert not EconomicEvent.objects.exists()


def test_the_database_refuses_an_event_that_ends_before_it_starts(tribe):
    start = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    with pytest.raises(IntegrityError), transaction.atomic():
        EconomicEvent.objects.create(
            platform=tribe.platform,
            action="use",
            provider=tribe.alice,
            receiver=tribe.bob,
            resource_conforms_to=tribe.spec("volunteer-hour"),
            resource_quantity=1,
            unit="hour",
            has_beginning=start,
            has_end=start - timedelta(minutes=1),
            occurred_on=start.date(),
            recorded_by=tribe.alice,
        )

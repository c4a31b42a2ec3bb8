"""A confirmed flow changes only with its counterparty's consent (issue 9, item 3)."""

from decimal import Decimal

import pytest
from django.utils import translation

from tests.factories import flow, record
from tribu.core.errors import Conflict, PermissionDenied, TribuError
from tribu.ledger.checks import run_checks
from tribu.ledger.models import EventState, EventStatusChange, LedgerMonth
from tribu.ledger.services import (
    confirm_event,
    correct_event,
    dispute_event,
    settle_event,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def counted(event) -> bool:
    return EventState.objects.get(event=event).counted


def hours(tribe) -> Decimal:
    return sum(
        (m.quantity for m in LedgerMonth.objects.filter(platform=tribe.platform)), Decimal(0)
    )


@pytest.fixture
def confirmed(tribe):
    """Alice gave Bob three hours; Bob confirmed."""
    event = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.bob, 3)
    confirm_event(event, tribe.bob)
    return event


def zero(tribe):
    return flow(tribe, "volunteer-hour", tribe.alice, tribe.bob, 0)


def test_a_proposed_correction_leaves_the_confirmed_original_counting(tribe, confirmed):
    fix = correct_event(confirmed, tribe.alice, zero(tribe), "never happened")
    assert counted(confirmed) and not counted(fix)
    assert hours(tribe) == 3
    assert all(r.ok for r in run_checks(tribe.platform))


def test_a_disputed_correction_leaves_the_original_counting(tribe, confirmed):
    fix = correct_event(confirmed, tribe.alice, zero(tribe), "never happened")
    dispute_event(fix, tribe.bob, "it did happen")
    assert counted(confirmed) and not counted(fix)
    assert hours(tribe) == 3
    assert all(r.ok for r in run_checks(tribe.platform))


def test_the_correction_takes_effect_when_the_counterparty_confirms(tribe, confirmed):
    fix = correct_event(
        confirmed, tribe.alice, flow(tribe, "volunteer-hour", tribe.alice, tribe.bob, 2), "two"
    )
    confirm_event(fix, tribe.bob)
    assert not counted(confirmed) and counted(fix)
    assert hours(tribe) == 2
    assert all(r.ok for r in run_checks(tribe.platform))


def test_the_original_is_frozen_while_a_correction_waits(tribe, confirmed):
    correct_event(confirmed, tribe.alice, zero(tribe), "never happened")
    with pytest.raises(Conflict):
        dispute_event(confirmed, tribe.bob, "sly")
    with pytest.raises(Conflict):
        correct_event(confirmed, tribe.alice, zero(tribe), "again")


def test_a_correction_of_an_unconfirmed_flow_replaces_it_at_once(tribe):
    event = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.bob, 3)
    correct_event(event, tribe.alice, zero(tribe), "typo")
    assert EventState.objects.get(event=event).corrected


def test_a_second_try_after_a_disputed_correction_needs_consent_too(tribe, confirmed):
    first = correct_event(confirmed, tribe.alice, zero(tribe), "never happened")
    dispute_event(first, tribe.bob, "it did happen")
    second = correct_event(
        first, tribe.alice, flow(tribe, "volunteer-hour", tribe.alice, tribe.bob, 1), "one"
    )
    assert counted(confirmed) and hours(tribe) == 3
    confirm_event(second, tribe.bob)
    assert not counted(confirmed) and not counted(first) and counted(second)
    assert hours(tribe) == 1
    assert all(r.ok for r in run_checks(tribe.platform))


def test_a_steward_settles_a_disputed_correction_in_the_history(tribe, confirmed):
    fix = correct_event(confirmed, tribe.alice, zero(tribe), "never happened")
    dispute_event(fix, tribe.bob, "it did happen")
    with pytest.raises(PermissionDenied):
        settle_event(fix, tribe.alice, "I say so")  # a party, not a steward
    with pytest.raises(TribuError, match="reason"):
        settle_event(fix, tribe.hana, " ")
    settle_event(fix, tribe.hana, "the room log shows nobody came")
    assert not counted(confirmed) and counted(fix)
    change = EventStatusChange.objects.filter(event=fix).order_by("-id").first()
    assert (change.by, change.status) == (tribe.hana, "confirmed")
    assert all(r.ok for r in run_checks(tribe.platform)), run_checks(tribe.platform)


def test_only_a_disputed_correction_can_be_settled(tribe, confirmed):
    fix = correct_event(confirmed, tribe.alice, zero(tribe), "never happened")
    with pytest.raises(Conflict):
        settle_event(fix, tribe.hana, "hurry")  # Bob has not answered yet
    other = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.bob, 1)
    dispute_event(other, tribe.bob, "no")
    with pytest.raises(Conflict):
        settle_event(other, tribe.hana, "not a correction")


def test_check_fails_when_a_pending_correction_silenced_the_original(tribe, confirmed):
    from tribu.ledger.checks import check_event_states

    correct_event(confirmed, tribe.alice, zero(tribe), "never happened")
    EventState.objects.filter(event=confirmed).update(corrected=True, counted=False)
    assert not check_event_states(tribe.platform).ok


def test_check_fails_when_a_non_steward_confirms_a_disputed_correction(tribe, confirmed):
    from tribu.ledger.checks import check_counterparty

    fix = correct_event(confirmed, tribe.alice, zero(tribe), "never happened")
    dispute_event(fix, tribe.bob, "it did happen")
    EventStatusChange.objects.create(
        platform=tribe.platform, event=fix, status="confirmed", by=tribe.alice, reason="mine"
    )
    assert not check_counterparty(tribe.platform).ok


def test_the_may_i_questions_say_no_while_a_correction_waits(tribe, confirmed):
    from tribu.ledger.services import may_correct, may_dispute
    from tribu.platforms.models import Role

    assert may_dispute(confirmed, tribe.bob) and may_correct(confirmed, tribe.alice, None)
    correct_event(confirmed, tribe.alice, zero(tribe), "never happened")
    original = type(confirmed).objects.get(pk=confirmed.pk)
    assert not may_dispute(original, tribe.bob)
    assert not may_correct(original, tribe.alice, None)
    assert not may_correct(original, tribe.fanny, Role.FACILITATOR)

"""Bookings that took place become `use` events, exactly once; cancelling corrects them."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from tribu.ledger.models import EconomicEvent, EventState
from tribu.spaces.services import (
    book,
    bookings_to_ledger,
    cancel_booking,
    create_gathering,
    use_quantity,
)

from .helpers import at, rooms


def test_a_booking_that_took_place_becomes_one_use_event_however_often_the_job_runs(tribe):
    room, _salle, _agora = rooms(tribe)
    booking = book(
        tribe.platform,
        tribe.hana,
        room,
        at("2026-03-10", 16),
        at("2026-03-13", 10),
        beneficiary=tribe.host,
        note="Paul Martin",
    )
    assert bookings_to_ledger() == 1
    assert bookings_to_ledger() == 0
    call_command("bookings_to_ledger", verbosity=0)
    event = EconomicEvent.objects.get(source=f"booking:{booking.pk}")
    assert (event.action, event.provider, event.receiver) == ("use", tribe.place, tribe.host)
    assert event.resource_quantity == Decimal(3)
    assert event.unit == "night"
    assert event.resource_inventoried_as == room
    assert event.evidence == "/p/essai/space/r/chambre-1/?week=2026-03-09"
    assert EventState.objects.get(event=event).counted


def test_a_booking_still_running_does_not_flow_yet(tribe):
    room, _salle, _agora = rooms(tribe)
    now = timezone.now()
    book(
        tribe.platform,
        tribe.alice,
        room,
        now - timezone.timedelta(days=1),
        now + timezone.timedelta(days=1),
    )
    assert bookings_to_ledger() == 0


def test_cancelling_after_the_fact_records_a_correction_and_leaves_the_original(tribe):
    room, _salle, _agora = rooms(tribe)
    booking = book(tribe.platform, tribe.alice, room, at("2026-03-10", 16), at("2026-03-12", 10))
    bookings_to_ledger()
    original = EconomicEvent.objects.get(import_key=f"booking:{booking.pk}")
    cancel_booking(booking, tribe.alice, "never came")
    original.refresh_from_db()
    assert original.resource_quantity == Decimal(2)
    correction = EconomicEvent.objects.get(corrects=original)
    assert correction.resource_quantity == 0
    assert "never came" in correction.note
    assert EventState.objects.get(event=original).corrected
    assert bookings_to_ledger() == 0


def test_a_gathering_of_the_host_is_the_host_use_of_the_event_space(tribe):
    _room, _salle, agora = rooms(tribe)
    create_gathering(
        tribe.platform,
        tribe.hana,
        kind="apero",
        title="Apéro de rentrée",
        resource=agora,
        start=at("2026-03-12", 18),
        end=at("2026-03-12", 21),
        on_behalf_of=tribe.host,
    )
    bookings_to_ledger()
    event = EconomicEvent.objects.get(resource_inventoried_as=agora)
    assert event.receiver == tribe.host
    assert event.resource_quantity == Decimal("0.5")  # half a day


@pytest.mark.parametrize(
    ("kind", "start", "end", "expected"),
    [
        ("meeting_room", ("2026-03-10", 9), ("2026-03-10", 11, 30), Decimal("2.50")),
        ("room", ("2026-03-10", 18), ("2026-03-11", 9), Decimal(1)),
        ("event_space", ("2026-03-10", 9), ("2026-03-11", 18), Decimal(2)),
    ],
)
def test_quantities_are_in_the_specification_unit(tribe, kind, start, end, expected):
    resource = {r.kind: r for r in rooms(tribe)}[kind]
    booking = book(tribe.platform, tribe.alice, resource, at(*start), at(*end))
    assert use_quantity(booking) == expected


def test_a_billed_learning_expedition_counts_as_revenue_not_as_venue_use(tribe):
    """Its room is part of what the client pays: valuing the venue too would count twice."""
    _room, _salle, agora = rooms(tribe)
    create_gathering(
        tribe.platform,
        tribe.hana,
        kind="learning_expedition",
        title="Visite",
        resource=agora,
        start=at("2026-03-10", 9),
        end=at("2026-03-10", 12),
        client=tribe.landlord,
        price=900,
    )
    assert bookings_to_ledger() == 0
    assert not EconomicEvent.objects.filter(resource_inventoried_as=agora).exists()

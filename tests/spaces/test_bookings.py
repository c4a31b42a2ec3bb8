"""Bookings: half-open intervals that never overlap, and who may book what."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from tribu.core.errors import Conflict, PermissionDenied, TribuError
from tribu.platforms.models import Role
from tribu.platforms.services import add_agent
from tribu.spaces.models import Booking, BookingStatus
from tribu.spaces.services import book, cancel_booking, space_settings

from .helpers import at, rooms


def test_it_rejects_an_overlapping_booking_and_names_the_existing_one(tribe):
    room, _salle, _agora = rooms(tribe)
    book(tribe.platform, tribe.alice, room, at("2026-03-10", 14), at("2026-03-12", 10))
    with pytest.raises(Conflict) as error:
        book(tribe.platform, tribe.bob, room, at("2026-03-11", 14), at("2026-03-13", 10))
    assert "2026-03-10 14:00" in str(error.value)
    assert "2026-03-12 10:00" in str(error.value)
    assert Booking.objects.filter(resource=room).count() == 1


def test_it_allows_adjacent_bookings(tribe):
    """[start, end) is half-open: a booking may start when the previous one ends."""
    _room, salle, _agora = rooms(tribe)
    book(tribe.platform, tribe.alice, salle, at("2026-03-10", 9), at("2026-03-10", 11))
    book(tribe.platform, tribe.bob, salle, at("2026-03-10", 11), at("2026-03-10", 12))
    book(tribe.platform, tribe.bob, salle, at("2026-03-10", 8), at("2026-03-10", 9))
    assert Booking.objects.filter(resource=salle, status=BookingStatus.ACTIVE).count() == 3


def test_a_cancelled_booking_frees_its_slot(tribe):
    room, _salle, _agora = rooms(tribe)
    first = book(tribe.platform, tribe.alice, room, at("2026-03-10", 14), at("2026-03-11", 10))
    cancel_booking(first, tribe.alice)
    book(tribe.platform, tribe.bob, room, at("2026-03-10", 14), at("2026-03-11", 10))


def test_it_rejects_a_booking_that_ends_before_it_starts(tribe):
    room, _salle, _agora = rooms(tribe)
    with pytest.raises(TribuError, match="must come after"):
        book(tribe.platform, tribe.alice, room, at("2026-03-11", 10), at("2026-03-11", 10))


def test_meeting_rooms_keep_to_opening_hours(tribe):
    _room, salle, _agora = rooms(tribe)
    with pytest.raises(TribuError, match="08:00"):
        book(tribe.platform, tribe.alice, salle, at("2026-03-10", 19), at("2026-03-10", 21))


def test_host_staff_book_a_room_for_a_colleague_on_behalf_of_the_host(tribe):
    room, _salle, _agora = rooms(tribe)
    booking = book(
        tribe.platform,
        tribe.hana,
        room,
        at("2026-03-10", 16),
        at("2026-03-13", 10),
        beneficiary=tribe.host,
        note="Paul Martin (Lyon)",
    )
    assert booking.beneficiary == tribe.host
    assert booking.booked_by == tribe.hana


def test_a_room_for_a_colleague_needs_the_colleague_name(tribe):
    room, _salle, _agora = rooms(tribe)
    with pytest.raises(TribuError, match="colleague"):
        book(
            tribe.platform,
            tribe.hana,
            room,
            at("2026-03-10", 16),
            at("2026-03-13", 10),
            beneficiary=tribe.host,
        )


def test_a_resident_may_not_book_on_behalf_of_the_host(tribe):
    room, _salle, _agora = rooms(tribe)
    with pytest.raises(PermissionDenied):
        book(
            tribe.platform,
            tribe.alice,
            room,
            at("2026-03-10", 16),
            at("2026-03-13", 10),
            beneficiary=tribe.host,
            note="Paul",
        )


def test_guests_are_limited_by_the_platform_setting(tribe):
    _room, salle, _agora = rooms(tribe)
    settings = space_settings(tribe.platform)
    settings.guest_max_hours_per_week = 3
    settings.save()
    gus = add_agent(tribe.platform, slug="gus", name="Gus", role=Role.GUEST)
    book(tribe.platform, gus, salle, at("2026-03-10", 9), at("2026-03-10", 11))
    with pytest.raises(PermissionDenied, match="3 hours"):
        book(tribe.platform, gus, salle, at("2026-03-12", 9), at("2026-03-12", 11))
    book(tribe.platform, gus, salle, at("2026-03-17", 9), at("2026-03-17", 11))  # next week


def test_someone_outside_the_platform_may_not_book(tribe):
    room, _salle, _agora = rooms(tribe)
    outsider = add_agent(tribe.platform, slug="ext", name="Ext")  # no role
    with pytest.raises(PermissionDenied):
        book(tribe.platform, outsider, room, at("2026-03-10", 16), at("2026-03-11", 10))


def test_eight_concurrent_workers_never_double_book_a_slot(transactional_db):
    """Eight people ask for the same room at the same moment: exactly one gets it."""
    from tests.factories import make_tribe

    tribe = make_tribe("concurrent")
    room, _salle, _agora = rooms(tribe)
    people = [
        add_agent(tribe.platform, slug=f"p{i}", name=f"P{i}", role=Role.RESIDENT) for i in range(8)
    ]
    start = at("2026-04-01", 15)
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def attempt(person, offset):
        try:
            barrier.wait()
            book(
                tribe.platform,
                person,
                room,
                start + timedelta(hours=offset),
                start + timedelta(hours=offset + 20),
            )
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p, i % 3)) for i, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["ok"]
    active = list(Booking.objects.filter(resource=room, status=BookingStatus.ACTIVE))
    assert len(active) == 1
    assert _overlaps(room) == 0, connection.vendor


def _overlaps(room) -> int:
    active = list(Booking.objects.filter(resource=room, status=BookingStatus.ACTIVE))
    return sum(
        1 for a in active for b in active if a.pk < b.pk and a.start < b.end and b.start < a.end
    )


def test_the_database_guards_overlaps_on_each_engine(tribe):
    """PostgreSQL refuses an overlapping insert by itself; SQLite takes its write lock at
    BEGIN, so the service's check-then-insert cannot interleave."""
    from django.db import IntegrityError, transaction

    room, _salle, _agora = rooms(tribe)
    first = book(tribe.platform, tribe.alice, room, at("2026-03-10", 14), at("2026-03-12", 10))
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            Booking.objects.create(
                platform=tribe.platform,
                resource=room,
                booked_by=tribe.bob,
                beneficiary=tribe.bob,
                start=first.start + timedelta(hours=1),
                end=first.end + timedelta(hours=1),
            )
    else:
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"

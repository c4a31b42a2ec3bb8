"""Gatherings: registration with capacity, a waiting list that moves up, check-in."""

import pytest

from tribu.core.errors import Conflict, PermissionDenied, TribuError
from tribu.spaces.models import RegistrationStatus
from tribu.spaces.services import (
    cancel_booking,
    cancel_gathering,
    cancel_registration,
    check_in,
    create_gathering,
    register,
)

from .helpers import future, rooms


def apero(tribe, capacity=2, **extra):
    _room, _salle, agora = rooms(tribe)
    start = future(7, 18)
    return create_gathering(
        tribe.platform,
        tribe.alice,
        kind="apero",
        title="Apéro",
        resource=agora,
        start=start,
        end=start.replace(hour=21),
        capacity=capacity,
        **extra,
    )


def test_registrations_beyond_capacity_wait_and_move_up_when_a_seat_frees(tribe):
    gathering = apero(tribe, capacity=2)
    first = register(gathering, tribe.alice)
    register(gathering, tribe.bob)
    waiting = register(gathering, tribe.fanny)
    assert waiting.status == RegistrationStatus.WAITING
    cancel_registration(first, tribe.alice)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_one_registration_per_person(tribe):
    gathering = apero(tribe)
    register(gathering, tribe.bob)
    with pytest.raises(Conflict):
        register(gathering, tribe.bob)


def test_only_the_organizer_or_a_steward_checks_people_in(tribe):
    gathering = apero(tribe)
    seat = register(gathering, tribe.bob)
    with pytest.raises(PermissionDenied):
        check_in(seat, tribe.bob)
    check_in(seat, tribe.alice)
    seat.refresh_from_db()
    assert seat.checked_in_at is not None
    with pytest.raises(Conflict):
        check_in(seat, tribe.fanny)


def test_a_gathering_books_its_space_and_blocks_it(tribe):
    gathering = apero(tribe)
    with pytest.raises(Conflict, match="already booked"):
        create_gathering(
            tribe.platform,
            tribe.bob,
            kind="talk",
            title="Talk",
            resource=gathering.booking.resource,
            start=gathering.start,
            end=gathering.end,
        )


def test_its_booking_is_cancelled_with_the_gathering_only(tribe):
    gathering = apero(tribe)
    with pytest.raises(Conflict, match="cancel the gathering"):
        cancel_booking(gathering.booking, tribe.alice)
    cancel_gathering(gathering, tribe.alice)
    gathering.booking.refresh_from_db()
    assert not gathering.booking.is_active


def test_a_learning_expedition_needs_a_client_organization_and_a_price(tribe):
    _room, _salle, agora = rooms(tribe)
    start = future(10, 9)
    with pytest.raises(TribuError, match="client"):
        create_gathering(
            tribe.platform,
            tribe.hana,
            kind="learning_expedition",
            title="Visite",
            resource=agora,
            start=start,
            end=start.replace(hour=12),
            price=1500,
        )
    with pytest.raises(PermissionDenied):
        create_gathering(
            tribe.platform,
            tribe.alice,
            kind="learning_expedition",
            title="Visite",
            resource=agora,
            start=start,
            end=start.replace(hour=12),
            client=tribe.landlord,
            price=1500,
        )


def test_concurrent_registrations_never_exceed_capacity(transactional_db):
    """Eight people register at once for three seats: three get one, five wait."""
    import threading

    from django.db import connections

    from tests.factories import make_tribe
    from tribu.platforms.models import Role
    from tribu.platforms.services import add_agent

    tribe = make_tribe("ruee")
    gathering = apero(tribe, capacity=3)
    people = [
        add_agent(tribe.platform, slug=f"p{i}", name=f"P{i}", role=Role.RESIDENT) for i in range(8)
    ]
    barrier = threading.Barrier(len(people))
    errors: list[Exception] = []

    def attempt(person):
        try:
            barrier.wait()
            register(gathering, person)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = sorted(gathering.registrations.values_list("status", flat=True))
    assert statuses == ["registered"] * 3 + ["waiting"] * 5

"""Resources and the place's rules: stewards set them, every booking keeps to them."""

from datetime import time

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_tribe
from tribu.core.errors import PermissionDenied, TribuError
from tribu.ledger.models import EconomicResource
from tribu.spaces.models import Booking
from tribu.spaces.services import (
    add_resource,
    book,
    bookings_to_ledger,
    space_settings,
    update_space_settings,
)

from .helpers import at, rooms


def test_a_resource_is_valued_by_the_usual_specification_of_its_kind(tribe):
    desk = add_resource(tribe.platform, name="Poste 4", kind="desk", actor=tribe.fanny)
    assert (desk.slug, desk.conforms_to.slug) == ("poste-4", "desk-month")


def test_a_resource_needs_a_specification_with_a_proxy(tribe):
    with pytest.raises(TribuError, match="say which kind of value"):
        add_resource(tribe.platform, name="Perceuse", kind="equipment")
    with pytest.raises(TribuError, match="no proxy price"):
        add_resource(tribe.platform, name="Perceuse", kind="equipment", spec="in-kind-goods")


def test_only_stewards_add_resources(tribe):
    with pytest.raises(PermissionDenied):
        add_resource(tribe.platform, name="Poste 5", kind="desk", actor=tribe.alice)


def test_opening_hours_set_by_a_steward_apply_to_meeting_rooms(tribe):
    _room, salle, _agora = rooms(tribe)
    update_space_settings(tribe.platform, actor=tribe.fanny, opens_at=time(7), closes_at=time(22))
    book(tribe.platform, tribe.alice, salle, at("2026-03-10", 20), at("2026-03-10", 22))
    with pytest.raises(TribuError, match="open"):
        update_space_settings(tribe.platform, actor=tribe.fanny, opens_at=time(22))
    with pytest.raises(PermissionDenied):
        update_space_settings(tribe.platform, actor=tribe.bob, closes_at=time(23))
    assert space_settings(tribe.platform).closes_at == time(22)


def test_one_booking_that_cannot_be_valued_does_not_hold_back_the_others(tribe):
    room, _salle, _agora = rooms(tribe)
    drill = EconomicResource.objects.create(  # as an older import might have left it
        platform=tribe.platform,
        slug="perceuse",
        name="Perceuse",
        kind="equipment",
        conforms_to=tribe.spec("in-kind-goods"),
    )
    book(tribe.platform, tribe.alice, drill, at("2026-03-09", 10), at("2026-03-09", 12))
    book(tribe.platform, tribe.alice, room, at("2026-03-10", 16), at("2026-03-11", 10))
    assert bookings_to_ledger() == 1


def test_the_resources_page_adds_a_resource_for_stewards_only(db):
    tribe = make_tribe("ressources", users=True)
    url = reverse("spaces-resources", args=["ressources"])
    steward, resident = Client(), Client()
    steward.force_login(tribe.fanny.user)
    resident.force_login(tribe.alice.user)
    assert resident.get(url).status_code == 403
    response = steward.post(
        url,
        {
            "form": "resource",
            "name": "Chambre Loire",
            "kind": "room",
            "spec": "",
            "capacity": 2,
            "beds": 2,
            "note": "",
        },
    )
    assert response.status_code == 302
    assert EconomicResource.objects.get(slug="chambre-loire").beds == 2
    page = steward.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Chambre Loire" in page and "Ressources et règles" in page


def test_cancelling_a_gathering_from_its_page_frees_the_space(db):
    from tribu.spaces.services import create_gathering

    from .helpers import future

    tribe = make_tribe("annuler", users=True)
    _room, _salle, agora = rooms(tribe)
    start = future(4, 18)
    gathering = create_gathering(
        tribe.platform,
        tribe.alice,
        kind="talk",
        title="Talk",
        resource=agora,
        start=start,
        end=start.replace(hour=20),
    )
    client = Client()
    client.force_login(tribe.alice.user)
    client.post(reverse("spaces-gathering-cancel", args=["annuler", gathering.pk]))
    assert not Booking.objects.get(pk=gathering.booking_id).is_active

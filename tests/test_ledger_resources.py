"""Economic resources are written by the ledger's own service, whoever books them."""

import pytest

from tests.factories import make_tribe
from tribu.core.errors import Conflict, NotFound
from tribu.ledger.models import EconomicResource, ResourceSpecification
from tribu.ledger.resources import create_resource

pytestmark = pytest.mark.django_db


def _spec(platform, slug="meeting-room-hour"):
    return ResourceSpecification.objects.get(platform=platform, slug=slug)


def test_a_resource_is_created_with_its_specification():
    tribe = make_tribe()
    room = create_resource(
        tribe.platform,
        slug="salle",
        name="Salle",
        kind="meeting_room",
        conforms_to=_spec(tribe.platform),
        capacity=8,
    )
    assert (room.platform, room.conforms_to.slug, room.capacity) == (
        tribe.platform,
        "meeting-room-hour",
        8,
    )


def test_a_taken_slug_is_refused_and_nothing_written():
    tribe = make_tribe()
    fields = {"slug": "salle", "name": "Salle", "kind": "meeting_room"}
    create_resource(tribe.platform, conforms_to=_spec(tribe.platform), **fields)
    with pytest.raises(Conflict, match="salle"):
        create_resource(tribe.platform, conforms_to=_spec(tribe.platform), **fields)
    assert EconomicResource.objects.filter(platform=tribe.platform).count() == 1


def test_another_platform_s_specification_is_refused():
    tribe, other = make_tribe(), make_tribe("autre")
    with pytest.raises(NotFound, match="meeting-room-hour"):
        create_resource(
            tribe.platform,
            slug="salle",
            name="Salle",
            kind="meeting_room",
            conforms_to=_spec(other.platform),
        )
    assert not EconomicResource.objects.filter(platform=tribe.platform).exists()

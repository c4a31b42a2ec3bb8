"""The space's API router: the same services as the pages, behind the API's tokens."""

import pytest
from ninja.testing import TestClient

from tests.factories import make_tribe
from tribu.api.tokens import issue_token
from tribu.core.errors import Conflict
from tribu.spaces.api import router
from tribu.spaces.models import Booking, Gathering

from .helpers import at, rooms


@pytest.fixture
def api(db):
    tribe = make_tribe("api", users=True)
    rooms(tribe)
    return tribe, TestClient(router)


def bearer(agent) -> dict:
    return {"Authorization": f"Bearer {issue_token(agent.user.username)}"}


def test_a_member_books_through_the_api_and_an_overlap_is_refused(api):
    tribe, client = api
    body = {
        "resource": "chambre-1",
        "start": at("2026-03-10", 16).isoformat(),
        "end": at("2026-03-13", 10).isoformat(),
        "beneficiary": "hote",
        "note": "Paul",
    }
    response = client.post("/platforms/api/bookings", json=body, headers=bearer(tribe.hana))
    assert response.status_code == 201
    assert response.json()["beneficiary"] == "hote"
    with pytest.raises(Conflict):
        client.post(
            "/platforms/api/bookings",
            json={**body, "beneficiary": None},
            headers=bearer(tribe.alice),
        )
    mine = client.get("/platforms/api/bookings", headers=bearer(tribe.hana)).json()
    assert [b["resource"] for b in mine] == ["chambre-1"]
    assert client.get("/platforms/api/bookings", headers=bearer(tribe.bob)).json() == []
    assert Booking.objects.count() == 1


def test_the_api_refuses_callers_without_a_token(api):
    _tribe, client = api
    assert client.get("/platforms/api/bookings").status_code == 401


def test_resources_and_gatherings_are_public_on_a_public_platform(api):
    _tribe, client = api
    resources = client.get("/platforms/api/resources").json()
    assert {r["slug"]: r["unit"] for r in resources}["chambre-1"] == "night"
    assert client.get("/platforms/api/gatherings").json() == []


def test_another_platform_member_cannot_see_these_bookings(api):
    from tribu.core.errors import PermissionDenied

    _tribe, client = api
    other = make_tribe("autre-api", users=True)
    with pytest.raises(PermissionDenied):
        client.get("/platforms/api/bookings", headers=bearer(other.alice))


def test_a_learning_expedition_through_the_api_is_invoiced_then_paid(api):
    from tribu.ledger.models import EconomicEvent

    tribe, client = api
    body = {
        "kind": "learning_expedition",
        "title": "Visite Acme",
        "resource": "agora",
        "start": at("2026-03-10", 9).isoformat(),
        "end": at("2026-03-10", 12).isoformat(),
        "client": "bailleur",
        "price": "1200.00",
    }
    created = client.post("/platforms/api/gatherings", json=body, headers=bearer(tribe.hana))
    assert created.status_code == 201
    (invoice,) = client.get("/platforms/api/invoices", headers=bearer(tribe.hana)).json()
    assert (invoice["reference"], invoice["paid_on"]) == ("API-00001", None)
    assert client.get("/platforms/api/invoices", headers=bearer(tribe.bob)).json() == []
    paid = client.post(
        f"/platforms/api/invoices/{invoice['id']}/paid",
        json={},
        headers=bearer(tribe.hana),
    )
    assert paid.json()["paid_on"] == invoice["issued_on"]  # today
    event = EconomicEvent.objects.get(source=f"invoice:{invoice['id']}")
    assert (event.provider.slug, event.receiver.slug) == ("bailleur", "hote")


def test_a_gathering_s_seats_are_cancelled_checked_in_and_the_gathering_cancelled(api):
    tribe, client = api
    body = {
        "kind": "workshop",
        "title": "Repair café",
        "resource": "agora",
        "start": at("2027-03-12", 18).isoformat(),
        "end": at("2027-03-12", 20).isoformat(),
        "capacity": 1,
    }
    gathering = client.post("/platforms/api/gatherings", json=body, headers=bearer(tribe.hana))
    gid = gathering.json()["id"]
    url = f"/platforms/api/gatherings/{gid}/registrations"
    seat = client.post(url, headers=bearer(tribe.alice)).json()
    waiting = client.post(url, headers=bearer(tribe.bob)).json()
    cancelled = client.post(
        f"/platforms/api/registrations/{seat['id']}/cancel", headers=bearer(tribe.alice)
    )
    assert cancelled.status_code == 200, cancelled.content
    checked = client.post(
        f"/platforms/api/registrations/{waiting['id']}/check-in", headers=bearer(tribe.hana)
    )
    assert checked.status_code == 200, checked.content
    gone = client.post(
        f"/platforms/api/gatherings/{gid}/cancel",
        json={"reason": "rain"},
        headers=bearer(tribe.hana),
    )
    assert gone.status_code == 200, gone.content
    assert Gathering.objects.get(pk=gid).cancelled

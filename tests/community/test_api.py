"""The community API router: the same services and rules as the pages, behind tokens."""

import pytest
from ninja.testing import TestClient

from tests.factories import make_tribe, make_user
from tribu.api.tokens import issue_token
from tribu.community.api import router
from tribu.core.errors import NotFound, PermissionDenied


@pytest.fixture
def api(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_tribe("essai", users=True), make_tribe("autre", users=True), TestClient(router)


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {issue_token(user.username)}"}


def test_apply_vouch_twice_and_become_a_resident(api):
    tribe, _other, client = api
    nina = make_user("nina")
    response = client.post(
        "/platforms/essai/applications",
        headers=bearer(nina),
        json={"name": "Nina", "statement": "The future of work"},
    )
    assert response.status_code == 201
    app_id = response.json()["id"]
    for who in (tribe.alice, tribe.bob):
        response = client.post(
            f"/platforms/essai/applications/{app_id}/vouches",
            headers=bearer(who.user),
            json={"note": "yes"},
        )
        assert response.status_code == 201
    assert response.json()["status"] == "accepted"
    assert [s["kind"] for s in response.json()["steps"]][-1] == "accepted"


def test_needs_offers_matches_and_helped(api):
    tribe, _other, client = api
    need = client.post(
        "/platforms/essai/intents",
        headers=bearer(tribe.alice.user),
        json={"kind": "need", "title": "Grant writing", "tags": "funding"},
    ).json()
    client.post(
        "/platforms/essai/intents",
        headers=bearer(tribe.bob.user),
        json={"kind": "offer", "title": "I write grants", "tags": "funding"},
    )
    [match] = client.get(
        f"/platforms/essai/intents/{need['id']}/matches", headers=bearer(tribe.alice.user)
    ).json()
    assert "funding" in match["reason"]
    response = client.post(
        f"/platforms/essai/matches/{match['id']}/helped",
        headers=bearer(tribe.alice.user),
        json={"hours": "1.5"},
    )
    assert response.status_code == 201 and response.json()["event"]


def test_the_charter_is_public_and_proposals_are_for_members(api):
    tribe, other, client = api
    assert client.get("/platforms/essai/charter").json() == []
    response = client.post(
        "/platforms/essai/charter/proposals",
        headers=bearer(tribe.bob.user),
        json={"text": "Rule one", "rationale": "We need rules"},
    )
    assert response.status_code == 201
    with pytest.raises(PermissionDenied):
        client.get("/platforms/essai/charter/proposals", headers=bearer(other.alice.user))


def test_another_platform_member_reads_and_writes_nothing(api):
    tribe, other, client = api
    need = client.post(
        "/platforms/essai/intents",
        headers=bearer(tribe.alice.user),
        json={"kind": "need", "title": "Secret need"},
    ).json()
    outsider = bearer(other.alice.user)
    with pytest.raises(PermissionDenied):
        client.get("/platforms/essai/intents", headers=outsider)
    with pytest.raises(PermissionDenied):
        client.get(f"/platforms/essai/intents/{need['id']}/matches", headers=outsider)
    with pytest.raises(PermissionDenied):
        client.post(
            "/platforms/essai/intents", headers=outsider, json={"kind": "need", "title": "x"}
        )
    with pytest.raises((PermissionDenied, NotFound)):
        client.get("/platforms/essai/applications/1", headers=outsider)


def test_calls_without_a_token_are_refused(api):
    _tribe, _other, client = api
    assert client.get("/platforms/essai/intents").status_code == 401


def test_a_steward_records_an_introduction_as_on_the_dashboard(api):
    from tribu.community.models import Introduction

    tribe, _other, client = api
    body = {"first": "alice", "second": "bob", "note": "both into bikes"}
    with pytest.raises(PermissionDenied):  # a resident does not record introductions
        client.post("/platforms/essai/introductions", headers=bearer(tribe.alice.user), json=body)
    made = client.post(
        "/platforms/essai/introductions", headers=bearer(tribe.fanny.user), json=body
    )
    assert made.status_code == 201, made.content
    introduction = Introduction.objects.get(pk=made.json()["id"])
    assert {introduction.first.slug, introduction.second.slug} == {"alice", "bob"}


def test_the_facilitator_decides_a_proposal_through_the_api(api):
    from tribu.community import services

    tribe, _other, client = api
    services.start_charter(tribe.platform, "1. Tidy up.", tribe.fanny)
    proposal = services.propose_change(tribe.alice, "1. Tidy up.\n2. Bikes outside.", "Space")
    url = f"/platforms/essai/charter/proposals/{proposal.pk}/decision"
    with pytest.raises(PermissionDenied):  # a resident does not decide
        client.post(url, headers=bearer(tribe.alice.user), json={"decision": "adopt"})
    adopted = client.post(url, headers=bearer(tribe.fanny.user), json={"decision": "adopt"})
    assert adopted.status_code == 200, adopted.content
    assert services.current_charter(tribe.platform).pk == adopted.json()["id"]

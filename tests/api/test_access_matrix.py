"""The API half of the access matrix: every endpoint × (owner, other member, member of
another platform, anonymous) × (read, write), on a private and on a public platform.

Zero leaks: a private platform does not exist for outsiders (404, whatever they ask),
nothing of it appears in any answer they get, and no refused write changes anything.
"""

import pytest

from tribu.ledger.models import CatalogueVersion, EconomicEvent, EventStatusChange

RECORD = {
    "action": "use",
    "provider": "alice",
    "receiver": "bob",
    "specification": "day-pass",
    "quantity": "1",
    "occurred": "2026-03-11",
}
CORRECT = {
    **RECORD,
    "specification": "volunteer-hour",
    "quantity": "2",
    "occurred": "2026-03-10",
    "reason": "two hours, not three",
}
EDIT = {"note": "new prices", "changes": {"day-pass": {"proxy_central": "32"}}}
DISPUTE = {"reason": "not what happened"}

# name: (method, path, body, owner). The owner is who the object belongs to: the host for
# the platform's catalogue and balance sheet, the recorder or the counterparty for events.
ENDPOINTS = {
    "platform": ("get", "/api/platforms/{p}", None, "hana"),
    "agents": ("get", "/api/platforms/{p}/agents", None, "hana"),
    "private agent": ("get", "/api/platforms/{p}/agents/alice", None, "alice"),
    "catalogue": ("get", "/api/platforms/{p}/catalogue", None, "hana"),
    "catalogue versions": ("get", "/api/platforms/{p}/catalogue/versions", None, "hana"),
    "edit catalogue": ("post", "/api/platforms/{p}/catalogue", EDIT, "hana"),
    "ledger": ("get", "/api/platforms/{p}/events", None, "alice"),
    "event": ("get", "/api/platforms/{p}/events/{e}", None, "alice"),
    "record": ("post", "/api/platforms/{p}/events", RECORD, "alice"),
    "confirm": ("post", "/api/platforms/{p}/events/{e}/confirm", None, "bob"),
    "dispute": ("post", "/api/platforms/{p}/events/{e}/dispute", DISPUTE, "bob"),
    "correct": ("post", "/api/platforms/{p}/events/{e}/correct", CORRECT, "alice"),
    "balance": ("get", "/api/platforms/{p}/reports/balance?draws=100", None, "hana"),
    "export": ("get", "/api/platforms/{p}/export?format=valueflows", None, "hana"),
}

PERSONAS = ("anonymous", "outsider", "member", "owner")  # the refused ones first
OK = {"get": 200, "post": 200}
# Expected status per persona, in PERSONAS order.
PRIVATE = {
    "platform": (404, 404, 200, 200),
    "agents": (404, 404, 200, 200),
    "private agent": (404, 404, 200, 200),
    "catalogue": (404, 404, 200, 200),
    "catalogue versions": (404, 404, 200, 200),
    "edit catalogue": (401, 404, 403, 201),
    "ledger": (401, 404, 200, 200),
    "event": (401, 404, 200, 200),
    "record": (401, 404, 403, 201),
    "confirm": (401, 404, 403, 200),
    "dispute": (401, 404, 403, 200),
    "correct": (401, 404, 403, 201),
    "balance": (401, 404, 200, 200),
    "export": (401, 404, 403, 200),
}
PUBLIC = {
    **PRIVATE,
    "platform": (200, 200, 200, 200),
    "agents": (200, 200, 200, 200),
    "catalogue": (200, 200, 200, 200),
    "catalogue versions": (200, 200, 200, 200),
    "edit catalogue": (401, 403, 403, 201),
    "ledger": (401, 403, 200, 200),
    "event": (401, 403, 200, 200),
    "record": (401, 403, 403, 201),
    "confirm": (401, 403, 403, 200),
    "dispute": (401, 403, 403, 200),
    "correct": (401, 403, 403, 201),
    "balance": (401, 403, 200, 200),
    "export": (401, 403, 403, 200),
}
PLATFORMS = {"essai": ("autre", PRIVATE), "autre": ("essai", PUBLIC)}


def username(persona: str, owner: str, platform: str) -> str | None:
    other, _expected = PLATFORMS[platform]
    return {
        "anonymous": None,
        "outsider": f"alice-{other}",
        "member": f"carl-{platform}",
        "owner": f"{owner}-{platform}",
    }[persona]


def ledger_state(platform_slug: str) -> tuple:
    """Everything a refused write must leave as it was."""
    return (
        EconomicEvent.objects.filter(platform__slug=platform_slug).count(),
        EventStatusChange.objects.filter(platform__slug=platform_slug).count(),
        CatalogueVersion.objects.filter(platform__slug=platform_slug).count(),
    )


def call(client, method: str, path: str, body):
    if method == "get":
        return client.get(path)
    return client.post(path, body, content_type="application/json") if body else client.post(path)


@pytest.mark.parametrize("platform", list(PLATFORMS))
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_access_matrix(world, endpoint, platform):
    method, template, body, owner = ENDPOINTS[endpoint]
    path = template.format(p=platform, e=world.events[platform].pk)
    expected = PLATFORMS[platform][1][endpoint]
    for persona, status in zip(PERSONAS, expected, strict=True):
        before = ledger_state(platform)
        response = call(world.client(username(persona, owner, platform)), method, path, body)
        assert response.status_code == status, (persona, response.content)
        assert response["Content-Type"].startswith("application/json")
        if status >= 400:
            assert response.json()["status"] == status and response.json()["message"]
            assert ledger_state(platform) == before, f"a refused {persona} changed the ledger"
        if platform == "essai" and persona in {"anonymous", "outsider"}:
            assert_nothing_of_essai_in(response)


def assert_nothing_of_essai_in(response) -> None:
    text = response.content.decode()
    for secret in ("Tribu essai", "shelves in essai", "Carl"):
        assert secret not in text


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_outsiders_do_not_see_a_private_platform_in_the_list(world, persona):
    response = world.client(username(persona, "hana", "essai")).get("/api/platforms")
    assert response.status_code == 200
    assert [p["slug"] for p in response.json()] == ["autre"]
    assert_nothing_of_essai_in(response)


def test_members_see_their_private_platform_in_the_list_with_their_role(world):
    platforms = world.client("carl-essai").get("/api/platforms").json()
    assert {p["slug"]: p["my_role"] for p in platforms} == {"autre": None, "essai": "resident"}


def test_an_event_is_not_reachable_through_another_platform(world):
    """alice is a member of "autre"; an "essai" event id under "autre" is not found."""
    path = f"/api/platforms/autre/events/{world.event.pk}"
    client = world.client("alice-autre")
    assert client.get(path).status_code == 404
    assert client.post(f"{path}/confirm").status_code == 404
    assert_nothing_of_essai_in(client.get(path))


def test_a_member_cannot_record_with_another_platform_agents(world):
    """Agent slugs resolve inside the platform in the URL, never across platforms."""
    response = world.client("alice-autre").post(
        "/api/platforms/autre/events",
        {**RECORD, "receiver": "carl"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["receiver"]["slug"] == "carl"
    assert EconomicEvent.objects.get(pk=response.json()["id"]).receiver.platform.slug == "autre"


def test_visitors_see_only_public_agents_and_members_see_everyone(world):
    from tribu.agents.models import Agent

    Agent.objects.filter(platform=world.autre.platform, slug="bob").update(is_public=True)
    visitor = world.client(None).get("/api/platforms/autre/agents").json()
    member = world.client("carl-autre").get("/api/platforms/autre/agents").json()
    assert {a["slug"] for a in visitor} == {"bob", "lieu"}
    assert {"alice", "bob", "carl", "hote", "hana", "fanny"} <= {a["slug"] for a in member}
    assert world.client(None).get("/api/platforms/autre/agents/bob").status_code == 200


# --- applicants, members on trial, guests and former members (issue 9, item 1) -----------

# Expected status on the private "essai" per persona: an applicant (applied, awaiting
# vouches), a member on trial (added as a newcomer by a steward), a guest (a client's
# contact) and a former member (a resident who left).
LIMITED = ("applicant", "trial", "guest", "former")
LIMITED_PRIVATE = {
    "platform": (200, 200, 200, 404),
    "agents": (200, 200, 200, 404),
    "private agent": (404, 404, 200, 404),
    "catalogue": (200, 200, 200, 404),
    "catalogue versions": (200, 200, 200, 404),
    "edit catalogue": (403, 403, 403, 404),
    "ledger": (200, 200, 200, 404),
    "event": (404, 404, 200, 404),
    "record": (403, 403, 403, 404),
    "confirm": (404, 404, 403, 404),
    "dispute": (404, 404, 403, 404),
    "correct": (404, 404, 403, 404),
    "balance": (403, 403, 200, 404),
    "export": (403, 403, 403, 404),
}


@pytest.fixture
def limited(world):
    """The four limited personas in "essai", each with a token."""
    from tests.factories import make_user
    from tribu.api.tokens import issue_token
    from tribu.community.services import apply, leave
    from tribu.platforms.models import Role
    from tribu.platforms.services import add_agent

    platform = world.essai.platform
    apply(platform, make_user("nina-essai"), name="Nina", statement="I share the Cause")
    add_agent(platform, slug="tom", name="Tom", role=Role.NEWCOMER, user=make_user("tom-essai"))
    add_agent(platform, slug="gus", name="Gus", role=Role.GUEST, user=make_user("gus-essai"))
    leave(world.essai.bob)
    users = {"applicant": "nina-essai", "trial": "tom-essai", "guest": "gus-essai"}
    users["former"] = "bob-essai"
    for name in users.values():
        world.tokens.setdefault(name, issue_token(name))
    return users


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_access_matrix_of_limited_personas(world, limited, endpoint):
    method, template, body, _owner = ENDPOINTS[endpoint]
    path = template.format(p="essai", e=world.event.pk)
    for persona, status in zip(LIMITED, LIMITED_PRIVATE[endpoint], strict=True):
        before = ledger_state("essai")
        response = call(world.client(limited[persona]), method, path, body)
        assert response.status_code == status, (persona, response.content)
        if status >= 400:
            assert ledger_state("essai") == before, f"a refused {persona} changed the ledger"
        if persona in {"applicant", "trial", "former"}:
            assert "shelves in essai" not in response.content.decode(), persona


def test_on_trial_the_ledger_shows_only_ones_own_flows(world, limited):
    from tests.factories import record
    from tribu.agents.models import Agent

    tom = Agent.objects.get(platform=world.essai.platform, slug="tom")
    mine = record(world.essai, world.essai.alice, "volunteer-hour", world.essai.alice, tom, 1)
    client = world.client(limited["trial"])
    ledger = client.get("/api/platforms/essai/events").json()
    assert [e["id"] for e in ledger["items"]] == [mine.pk]
    assert client.post(f"/api/platforms/essai/events/{mine.pk}/confirm").status_code == 200


def test_stewards_widen_what_people_on_trial_see(world, limited):
    from tribu.platforms.services import widen_trial

    client = world.client(limited["trial"])
    assert client.get("/api/platforms/essai/reports/balance?draws=100").status_code == 403
    widen_trial(world.essai.platform, world.essai.hana, ["ledger", "balances"])
    assert client.get("/api/platforms/essai/reports/balance?draws=100").status_code == 200
    assert client.get(f"/api/platforms/essai/events/{world.event.pk}").status_code == 200
    assert world.client(limited["former"]).get("/api/platforms/essai/events").status_code == 404

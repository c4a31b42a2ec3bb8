"""The access matrix: every object page × owner, other member, member of another platform,
anonymous × read and write. Nobody outside a platform reads or changes its private data."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.conftest import last_month, login
from tribu.ledger.models import CatalogueVersion, EconomicEvent, EventStatusChange
from tribu.platforms.models import Membership

pytestmark = pytest.mark.django_db

SECRET = "SECRET-NOTE-7f3a"
OWNER, MEMBER, OUTSIDER, ANONYMOUS = "owner", "member", "outsider", "anonymous"


@pytest.fixture
def world(web_tribe, other_tribe, django_user_model):
    """`owner` is hana (host, steward, counterparty of bob's proposed flow); `member` is
    alice (resident, no party to it); `outsider` is a host of another platform."""
    from tests.factories import record

    secret = record(
        web_tribe,
        web_tribe.bob,
        "volunteer-hour",
        web_tribe.bob,
        web_tribe.host,
        1,
        note=SECRET,
        on=last_month(),
    )
    django_user_model.objects.create_user("nina", "nina@example.org", "pw-nina-nina")
    return {
        "tribe": web_tribe,
        "other": other_tribe,
        "secret": secret,
        "users": {
            OWNER: web_tribe.hana,
            MEMBER: web_tribe.alice,
            OUTSIDER: other_tribe.hana,
            ANONYMOUS: None,
        },
    }


def client_for(world, who) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    agent = world["users"][who]
    return login(client, agent) if agent else client


def read_urls(world) -> dict[str, str]:
    s, event = world["tribe"].platform.slug, world["secret"].pk
    return {
        "ledger": reverse("ledger", args=[s]),
        "event-detail": reverse("event-detail", args=[s, event]),
        "event-record": reverse("event-record", args=[s]),
        "event-correct": reverse("event-correct", args=[s, event]),
        "balance-sheet": reverse("balance-sheet", args=[s]) + "?agent=bob",
        "balance-csv": reverse("balance-csv", args=[s]),
        "balance-line": reverse("balance-line", args=[s, "volunteer-hour"]),
        "flow-map": reverse("flow-map", args=[s]),
        "members": reverse("members", args=[s]),
        "catalogue": reverse("catalogue", args=[s]),
        "catalogue-version": reverse("catalogue-version", args=[s, 1]),
        "catalogue-edit": reverse("catalogue-edit", args=[s, "day-pass"]),
    }


STEWARD_ONLY = {"catalogue-edit"}
READ_EXPECTED = {OWNER: 200, MEMBER: 200, OUTSIDER: 403, ANONYMOUS: 302}


@pytest.mark.parametrize("who", [OWNER, MEMBER, OUTSIDER, ANONYMOUS])
def test_read_matrix(world, who):
    client = client_for(world, who)
    for name, url in read_urls(world).items():
        response = client.get(url)
        expected = READ_EXPECTED[who]
        if name in STEWARD_ONLY and who == MEMBER:
            expected = 403
        assert response.status_code == expected, (name, who, response.status_code)
        if who in (OUTSIDER, ANONYMOUS):
            assert SECRET not in response.content.decode(), (name, who)
        if who == ANONYMOUS:
            assert response["Location"].startswith(reverse("account_login"))


def test_a_private_platform_does_not_exist_for_outsiders(world):
    platform = world["tribe"].platform
    platform.is_public = False
    platform.save()
    for who in (OUTSIDER, ANONYMOUS):
        client = client_for(world, who)
        assert client.get(reverse("platform-detail", args=[platform.slug])).status_code == 404
        for name, url in read_urls(world).items():
            assert client.get(url).status_code == 404, (name, who)
    assert (
        client_for(world, MEMBER).get(reverse("platform-detail", args=[platform.slug])).status_code
        == 200
    )


def test_an_event_is_not_reachable_through_another_platform(world):
    """The outsider is a member of `autre`: the event id of `essai` under `autre` is 404."""
    client = client_for(world, OUTSIDER)
    other = world["other"].platform.slug
    event = world["secret"].pk
    assert client.get(reverse("event-detail", args=[other, event])).status_code == 404
    assert client.post(reverse("event-confirm", args=[other, event])).status_code == 404


def snapshot() -> tuple:
    return (
        EconomicEvent.objects.count(),
        EventStatusChange.objects.count(),
        CatalogueVersion.objects.count(),
        Membership.objects.count(),
    )


def writes(world) -> dict[str, tuple[str, dict]]:
    tribe, s, event = world["tribe"], world["tribe"].platform.slug, world["secret"]
    flow = {
        "specification": tribe.spec("volunteer-hour").pk,
        "provider": tribe.hana.pk,
        "receiver": tribe.host.pk,
        "quantity": "1",
        "occurred": "2026-03-01",
        "action": "work",
    }
    edit = {"proxy_central": "21", "proxy_low": "20", "proxy_high": "40", "note": "n"}
    for name in ("deadweight", "displacement", "attribution", "drop_off"):
        edit.update({f"{name}_low": "0", f"{name}_central": "0", f"{name}_high": "0"})
    return {
        "event-record": (reverse("event-record", args=[s]), flow),
        "event-confirm": (reverse("event-confirm", args=[s, event.pk]), {}),
        "event-dispute": (reverse("event-dispute", args=[s, event.pk]), {"reason": "no"}),
        "event-correct": (
            reverse("event-correct", args=[s, event.pk]),
            {**flow, "provider": tribe.bob.pk, "reason": "fix"},
        ),
        "members": (reverse("members", args=[s]), {"user": "nina", "role": "newcomer"}),
        "catalogue-edit": (reverse("catalogue-edit", args=[s, "day-pass"]), edit),
    }


# What each write does for each visitor: True when it must change something.
WRITE_ALLOWED = {
    OWNER: {
        "event-record",
        "event-confirm",
        "event-dispute",
        "event-correct",
        "members",
        "catalogue-edit",
    },
    MEMBER: set(),  # alice is no party to bob's flow and no steward; she records for herself
    OUTSIDER: set(),
    ANONYMOUS: set(),
}


@pytest.mark.parametrize("who", [OWNER, MEMBER, OUTSIDER, ANONYMOUS])
@pytest.mark.parametrize(
    "action",
    [
        "event-record",
        "event-confirm",
        "event-dispute",
        "event-correct",
        "members",
        "catalogue-edit",
    ],
)
def test_write_matrix(world, who, action):
    client = client_for(world, who)
    url, data = writes(world)[action]
    before = snapshot()
    response = client.post(url, data)
    changed = snapshot() != before
    assert changed == (action in WRITE_ALLOWED[who]), (action, who, response.status_code)
    if who == ANONYMOUS:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif who == OUTSIDER:
        assert response.status_code == 403
    if who in (OUTSIDER, ANONYMOUS):
        assert SECRET not in response.content.decode()


def test_a_member_records_their_own_flow_but_not_others(world):
    tribe = world["tribe"]
    client = client_for(world, MEMBER)
    url, data = writes(world)["event-record"]
    before = EconomicEvent.objects.count()
    client.post(url, data)  # hana → host: alice is neither
    assert EconomicEvent.objects.count() == before
    client.post(url, {**data, "provider": tribe.alice.pk})
    assert EconomicEvent.objects.count() == before + 1


# --- applicants, members on trial, guests and former members (issue 9, item 1) -----------

# What each limited persona gets on each read page. On trial (an applicant, or a newcomer
# a steward added) one reads one's own flows only; a guest reads as a member does; a
# former member is no longer let in.
OWN_ONLY = {"ledger", "event-record"}


@pytest.fixture
def limited(world, django_user_model):
    from tests.factories import make_user
    from tribu.community.services import apply, leave
    from tribu.platforms.models import Role
    from tribu.platforms.services import add_agent

    tribe = world["tribe"]
    applicant = apply(tribe.platform, make_user("nina-w"), name="Nina", statement="yes").agent
    trial = add_agent(
        tribe.platform, slug="tom", name="Tom", role=Role.NEWCOMER, user=make_user("tom-w")
    )
    guest = add_agent(
        tribe.platform, slug="gus", name="Gus", role=Role.GUEST, user=make_user("gus-w")
    )
    leave(tribe.bob)
    return {"applicant": applicant, "trial": trial, "guest": guest, "former": tribe.bob}


def expected_read(persona: str, name: str) -> int:
    if persona == "former":
        return 403
    if persona == "guest":
        return 403 if name in STEWARD_ONLY else 200
    if name in OWN_ONLY:
        return 200
    return 404 if name.startswith("event-") else 403  # another's flow does not exist


@pytest.mark.parametrize("persona", ["applicant", "trial", "guest", "former"])
def test_read_matrix_of_limited_personas(world, limited, persona):
    client = login(Client(HTTP_ACCEPT_LANGUAGE="en"), limited[persona])
    for name, url in read_urls(world).items():
        response = client.get(url)
        assert response.status_code == expected_read(persona, name), (name, persona)
        if persona != "guest":
            assert SECRET not in response.content.decode(), (name, persona)


def test_on_trial_the_navigation_offers_only_what_opens(world, limited):
    client = login(Client(HTTP_ACCEPT_LANGUAGE="en"), limited["trial"])
    page = client.get(reverse("ledger", args=[world["tribe"].platform.slug])).content.decode()
    assert reverse("ledger", args=["essai"]) in page
    assert reverse("balance-sheet", args=["essai"]) not in page
    assert reverse("members", args=["essai"]) not in page


def test_on_trial_one_confirms_ones_own_flows_from_the_pages(world, limited):
    from tests.factories import record

    tribe, tom = world["tribe"], limited["trial"]
    mine = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tom, 1, on=last_month())
    client = login(Client(HTTP_ACCEPT_LANGUAGE="en"), tom)
    assert client.get(reverse("event-detail", args=["essai", mine.pk])).status_code == 200
    client.post(reverse("event-confirm", args=["essai", mine.pk]))
    assert mine.state.__class__.objects.get(event=mine).status == "confirmed"

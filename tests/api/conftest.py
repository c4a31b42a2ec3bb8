"""Two platforms with logins and tokens: "essai" (private) and "autre" (public).

Personas of the access matrix, in "essai": the owner of each object (who varies: the
host for the catalogue, the recorder or the counterparty for an event), another member
(carl, a resident with no part in anything), a member of another platform (alice of
"autre"), and an anonymous visitor.
"""

from dataclasses import dataclass, field

import pytest
from django.test import Client

from tests.factories import Tribe, make_tribe, make_user, record
from tribu.api.tokens import issue_token
from tribu.ledger.models import EconomicEvent
from tribu.platforms.models import Platform, Role
from tribu.platforms.services import add_agent


@dataclass
class World:
    essai: Tribe
    autre: Tribe
    event: EconomicEvent  # in "essai": recorded by alice, alice → bob, proposed
    events: dict[str, EconomicEvent]  # the same kind of event in each platform, by slug
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, username: str | None) -> Client:
        """A client that sends `username`'s token (none for an anonymous visitor)."""
        if username is None:
            return Client()
        return Client(headers={"authorization": f"Bearer {self.tokens[username]}"})


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Logins here use tokens; hashing each test user's password slowly buys nothing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _carl(tribe: Tribe) -> None:
    slug = tribe.platform.slug
    add_agent(
        tribe.platform, slug="carl", name="Carl", role=Role.RESIDENT, user=make_user(f"carl-{slug}")
    )


@pytest.fixture
def world(db) -> World:
    essai = make_tribe("essai", users=True)
    Platform.objects.filter(pk=essai.platform.pk).update(is_public=False)
    essai.platform.refresh_from_db()
    autre = make_tribe("autre", users=True)
    _carl(essai)
    _carl(autre)
    events = {
        tribe.platform.slug: record(
            tribe,
            tribe.alice,
            "volunteer-hour",
            tribe.alice,
            tribe.bob,
            3,
            note=f"helped move the shelves in {tribe.platform.slug}",
        )
        for tribe in (essai, autre)
    }
    names = ["hana", "fanny", "alice", "bob", "carl"]
    usernames = [f"{name}-{slug}" for name in names for slug in ("essai", "autre")]
    return World(
        essai, autre, events["essai"], events, {name: issue_token(name) for name in usernames}
    )

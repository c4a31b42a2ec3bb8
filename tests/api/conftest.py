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
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, username: str | None) -> Client:
        """A client that sends `username`'s token (none for an anonymous visitor)."""
        if username is None:
            return Client()
        return Client(headers={"authorization": f"Bearer {self.tokens[username]}"})


@pytest.fixture
def world(db) -> World:
    essai = make_tribe("essai", users=True)
    Platform.objects.filter(pk=essai.platform.pk).update(is_public=False)
    essai.platform.refresh_from_db()
    add_agent(essai.platform, slug="carl", name="Carl", role=Role.RESIDENT,
              user=make_user("carl-essai"))
    autre = make_tribe("autre", users=True)
    event = record(essai, essai.alice, "volunteer-hour", essai.alice, essai.bob, 3,
                   note="helped move the shelves")
    usernames = ["hana-essai", "fanny-essai", "alice-essai", "bob-essai", "carl-essai",
                 "hana-autre", "alice-autre"]
    return World(essai, autre, event, {name: issue_token(name) for name in usernames})

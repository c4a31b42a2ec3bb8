"""A tribe whose people can log in, with a few flows, and a second platform for leaks."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.factories import flow, make_tribe, record
from tribu.ledger.services import confirm_event, record_event


def last_month() -> date:
    """A day inside the default period (the last twelve whole months)."""
    return date.today().replace(day=1) - timedelta(days=10)


@pytest.fixture
def web_tribe(db):
    """Tribe `essai` with logins (users hana-essai, fanny-essai, alice-essai, bob-essai): the
    host paid 1000 EUR of rent; alice gave the host 3 day passes (confirmed), bob 2
    (awaiting confirmation)."""
    tribe = make_tribe("essai", users=True)
    record_event(
        tribe.platform,
        tribe.hana,
        flow(
            tribe,
            "rent",
            tribe.host,
            tribe.landlord,
            1,
            on=last_month(),
            action="transfer",
            money_amount=Decimal(1000),
        ),
        system=True,
    )
    confirmed = record(tribe, tribe.alice, "day-pass", tribe.alice, tribe.host, 3, on=last_month())
    confirm_event(confirmed, tribe.hana)
    tribe.proposed = record(tribe, tribe.bob, "day-pass", tribe.bob, tribe.host, 2, on=last_month())
    tribe.confirmed = confirmed
    return tribe


@pytest.fixture
def other_tribe(db):
    return make_tribe("autre", users=True)


def login(client, agent):
    client.force_login(agent.user)
    return client

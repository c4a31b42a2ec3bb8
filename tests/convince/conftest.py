"""A small platform whose host (hana) and a resident (alice) can log in."""

import pytest

from tests.factories import make_tribe


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def essai(db):
    return make_tribe("essai", users=True)


def entry(**changes) -> dict:
    """Desks (400 × 0.75 = 300 a unit) and billed visits at 2,000: one year, rent 1,000
    a month."""
    base = {
        "carrier": "company_host",
        "years": 1,
        "monthly_rent": "1000",
        "other_costs": "2000",
        "lines": [
            {
                "key": "desk-month",
                "stakeholder": "host",
                "quantity": {"low": "10", "central": "20", "high": "30"},
            },
            {
                "key": "learning-expedition",
                "stakeholder": "host",
                "quantity": {"low": "1", "central": "2", "high": "3"},
                "price": "2000",
            },
        ],
    }
    return {**base, **changes}


@pytest.fixture
def running(essai):
    """essai with a month of rent paid by the host and three confirmed day passes."""
    from datetime import date, timedelta
    from decimal import Decimal

    from tests.factories import flow, record
    from tribu.ledger.services import confirm_event, record_event

    day = date.today().replace(day=1) - timedelta(days=10)
    rent = flow(
        essai,
        "rent",
        essai.host,
        essai.landlord,
        1,
        on=day,
        action="transfer",
        money_amount=Decimal(1000),
    )
    record_event(essai.platform, essai.hana, rent, system=True)
    passes = record(essai, essai.alice, "day-pass", essai.alice, essai.host, 3, on=day)
    confirm_event(passes, essai.hana)
    return essai

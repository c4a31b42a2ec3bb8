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

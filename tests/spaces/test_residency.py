"""Residency terms: at most twelve months, contributions as work events, a time balance."""

from datetime import date
from decimal import Decimal

import pytest

from tribu.core.errors import PermissionDenied, TribuError
from tribu.ledger.services import confirm_event
from tribu.spaces.residency import time_balances
from tribu.spaces.services import create_agreement, log_contribution


def test_an_agreement_lasts_at_most_twelve_months(tribe):
    with pytest.raises(TribuError, match="12 months"):
        create_agreement(
            tribe.platform,
            tribe.fanny,
            tribe.alice,
            start=date(2026, 1, 15),
            end=date(2027, 1, 16),
            days_owed_per_month=5,
        )
    create_agreement(
        tribe.platform,
        tribe.fanny,
        tribe.alice,
        start=date(2026, 1, 15),
        end=date(2027, 1, 15),
        days_owed_per_month=5,
    )


def test_only_stewards_set_residency_terms(tribe):
    with pytest.raises(PermissionDenied):
        create_agreement(
            tribe.platform,
            tribe.alice,
            tribe.alice,
            start=date(2026, 1, 1),
            end=date(2026, 5, 1),
            days_owed_per_month=5,
        )


def test_the_time_balance_counts_owed_months_and_confirmed_contributions(tribe):
    create_agreement(
        tribe.platform,
        tribe.fanny,
        tribe.alice,
        start=date(2026, 1, 1),
        end=date(2026, 5, 1),
        days_owed_per_month=5,
    )
    given = log_contribution(
        tribe.platform,
        tribe.alice,
        tribe.alice,
        day=date(2026, 1, 20),
        days=3,
        note="Challenge eau",
    )
    log_contribution(tribe.platform, tribe.alice, tribe.alice, day=date(2026, 2, 10), days=2)
    assert given.action == "work" and given.receiver == tribe.host
    confirm_event(given, tribe.hana)  # Hana acts for the host
    (balance,) = time_balances(tribe.platform, today=date(2026, 3, 15))
    assert balance["resident"] == "alice"
    assert balance["months_completed"] == 2
    assert balance["owed"] == Decimal(10)
    assert balance["given"] == Decimal(3)
    assert balance["pending"] == Decimal(2)
    assert balance["balance"] == Decimal(-7)
    assert balance["owed_whole_term"] == Decimal(20)


def test_contributions_need_an_agreement(tribe):
    with pytest.raises(TribuError, match="no residency agreement"):
        log_contribution(tribe.platform, tribe.bob, tribe.bob, day=date(2026, 1, 20), days=1)

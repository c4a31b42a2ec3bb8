"""A small platform with a year of flows: rent paid, nights and volunteer hours received."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import flow, make_tribe, record
from tribu.ledger.services import confirm_event, record_event
from tribu.platforms.models import CarrierProfile, CauseCategory


@pytest.fixture
def year_of_flows(db):
    tribe = make_tribe("obs")
    platform = tribe.platform
    platform.cause_category = CauseCategory.FUTURE_OF_WORK
    platform.carrier_profile = CarrierProfile.COMPANY_HOST
    platform.surface_m2, platform.capacity = 200, 25
    platform.commune_code, platform.region_code = "75102", "11"
    platform.save()
    host, hana = tribe.host, tribe.hana
    rent = flow(
        tribe, "rent", host, tribe.landlord, 12, money_amount=Decimal(24000),
        on=date(2025, 6, 1), note="Loyer secret de Hana",
    )  # fmt: skip
    record_event(platform, hana, rent, system=True)
    nights = record(tribe, tribe.alice, "hotel-night", tribe.alice, host, 30, on=date(2025, 3, 4))
    confirm_event(nights, hana)
    hours = record(tribe, tribe.bob, "volunteer-hour", tribe.bob, host, 40, on=date(2025, 9, 9))
    confirm_event(hours, hana)
    record(tribe, tribe.alice, "day-pass", tribe.alice, host, 5, on=date(2025, 10, 1))
    return tribe


def give(tribe, spec, amounts):
    """Confirmed flows of `spec` to the host in 2025: one per (provider, quantity)."""
    for provider, quantity in amounts:
        event = record(tribe, provider, spec, provider, tribe.host, quantity, on=date(2025, 5, 5))
        confirm_event(event, tribe.hana)


@pytest.fixture
def balanced(year_of_flows):
    """Every kind from three people in equal parts (Alice's 30 nights and Bob's 40 hours
    come from `year_of_flows`): nothing needs withholding."""
    tribe = year_of_flows
    give(tribe, "hotel-night", [(tribe.bob, 30), (tribe.fanny, 30)])
    give(tribe, "volunteer-hour", [(tribe.alice, 40), (tribe.fanny, 40)])
    give(tribe, "day-pass", [(tribe.alice, 10), (tribe.bob, 10), (tribe.fanny, 10)])
    return tribe


@pytest.fixture(autouse=True)
def _in_english():
    """Refusal reasons and page words are checked in English here."""
    from django.utils import translation

    with translation.override("en"):
        yield

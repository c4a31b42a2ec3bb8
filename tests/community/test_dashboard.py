"""The facilitator's dashboard: each question answered from the ledger and community rows."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from tests.factories import record
from tribu.community import dashboard, services
from tribu.community.models import Intent
from tribu.ledger.services import confirm_event
from tribu.platforms.models import Role
from tribu.platforms.services import add_agent


@pytest.fixture
def today():
    return timezone.localdate()


def test_synergies_count_confirmed_flows_between_members_but_not_the_host(tribe, today):
    help_ = record(
        tribe,
        tribe.alice,
        "volunteer-hour",
        tribe.alice,
        tribe.bob,
        2,
        on=today,
        action="deliverService",
    )
    confirm_event(help_, tribe.bob)
    to_host = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.host, 5, on=today)
    confirm_event(to_host, tribe.hana)
    record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.bob, 7, on=today)  # unconfirmed
    result = dashboard.synergies(tribe.platform, today)
    [line] = result["lines"]
    assert (line["events"], line["quantity"]) == (1, Decimal("2"))
    assert line["value"] == Decimal("36.06")  # 2 h × 18.03 € central


def test_introductions_are_credited_with_later_flows_between_the_two(tribe):
    intro = services.introduce(
        tribe.fanny, tribe.alice, tribe.bob, "Both into open data", on=date(2026, 3, 1)
    )
    before = record(
        tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.bob, 4, on=date(2026, 2, 20)
    )
    after = record(
        tribe,
        tribe.bob,
        "business-referral",
        tribe.bob,
        tribe.alice,
        1,
        on=date(2026, 3, 10),
        declared_value=Decimal("1500"),
    )
    for event, confirmer in ((before, tribe.bob), (after, tribe.alice)):
        confirm_event(event, confirmer)
    [outcome] = dashboard.introduction_outcomes(tribe.platform)
    assert outcome["introduction"] == intro
    assert (outcome["events"], outcome["referrals"], outcome["value"]) == (1, 1, Decimal("1500"))


def test_only_the_facilitator_or_host_records_introductions(tribe):
    from tribu.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.introduce(tribe.alice, tribe.bob, tribe.hana)


def test_quiet_members_and_stale_needs(tribe, today):
    event = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.bob, 1, on=today)
    assert event
    assert dashboard.quiet_members(tribe.platform) == []
    old = today - timedelta(days=40)
    record(tribe, tribe.bob, "volunteer-hour", tribe.bob, tribe.hana, 1, on=old)
    newcomer = add_agent(tribe.platform, slug="nina", name="Nina", role=Role.NEWCOMER)
    quiet = dashboard.quiet_members(tribe.platform, today=today + timedelta(days=31))
    # Host staff and the facilitator are left out; each one says their role and last date.
    with translation.override("fr"):
        shown = [(q["agent"].slug, str(q["role"]), q["last"]) for q in quiet]
    assert shown == [
        ("alice", "Résident·e", today),
        ("bob", "Résident·e", today),
        ("nina", "Nouvel·le arrivant·e", None),
    ]
    assert newcomer
    need = services.post_intent(tribe.hana, kind="need", title="A plumber", tags="plumbing")
    Intent.objects.filter(pk=need.pk).update(created_at=timezone.now() - timedelta(days=15))
    assert list(dashboard.stale_needs(tribe.platform)) == [need]


def test_suggested_introductions_skip_people_who_already_exchanged(tribe, today):
    services.post_intent(tribe.alice, kind="need", title="Python review", tags="python")
    services.post_intent(tribe.bob, kind="offer", title="Python review", tags="python")
    services.post_intent(tribe.hana, kind="offer", title="Python mentoring", tags="python")
    record(tribe, tribe.alice, "volunteer-hour", tribe.bob, tribe.alice, 1, on=today)
    pairs = [
        (p["needer"].slug, p["offerer"].slug)
        for p in dashboard.suggested_introductions(tribe.platform)
    ]
    assert pairs == [("alice", "hana")]


def test_the_network_picture_escapes_names_and_draws_each_direction(tribe, today):
    tribe.alice.name = "Alice <script>"
    tribe.alice.save()
    for provider, receiver in ((tribe.alice, tribe.bob), (tribe.bob, tribe.alice)):
        confirm_event(
            record(tribe, provider, "volunteer-hour", provider, receiver, 1, on=today), receiver
        )
    svg = dashboard.network_svg(tribe.platform)
    assert svg.startswith("<svg") and "<script>" not in svg and "Alice &lt;script&gt;" in svg
    assert svg.count("<path d=") == 3  # two arrows and the arrow-head marker


def test_network_names_are_written_along_their_radius(tribe, today):
    confirm_event(
        record(tribe, tribe.hana, "volunteer-hour", tribe.hana, tribe.alice, 1, on=today),
        tribe.alice,
    )
    svg = dashboard.network_svg(tribe.platform)
    names = re.findall(r'<text [^>]*transform="rotate\([^"]+\)"[^>]*>([^<]+)</text>', svg)
    assert sorted(names) == ["Alice", "Hana"]

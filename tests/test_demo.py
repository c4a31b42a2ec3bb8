"""The demo platforms: built once, labelled illustrative, and telling the seed's story.

Building a platform records hundreds of events through the ledger services, so each test
builds only what it checks (Le Sentier or Open Résidence alone) and only one test runs
the whole `build_demo`.
"""

import sys
from datetime import date
from decimal import Decimal
from importlib.machinery import ModuleSpec
from types import ModuleType

from django.contrib.auth import authenticate, get_user_model
from django.db.models import Sum

from tribu.agents.models import Agent
from tribu.demo import build as demo_build
from tribu.demo import residence, sentier
from tribu.demo.kit import DEMO_PASSWORD
from tribu.ledger.models import EconomicEvent, EventStatusChange, Status
from tribu.platforms.models import CarrierProfile, Membership, Platform, Role
from tribu.reports.balance import agent_balance, default_period

SEED_BENEFITS = {"hotel-night", "event-space-day", "desk-month", "business-referral"}
IN_KIND_SERVICES = {"volunteer-hour", "in-kind-goods"}


def silent(_message: str) -> None:
    pass


def counts() -> dict[str, int]:
    return {
        "platforms": Platform.objects.count(),
        "agents": Agent.objects.count(),
        "memberships": Membership.objects.count(),
        "users": get_user_model().objects.count(),
        "events": EconomicEvent.objects.count(),
        "status changes": EventStatusChange.objects.count(),
    }


def probe_extension(monkeypatch) -> list[list[str]]:
    """A listed extension `probeapp.demo` whose `extend` notes what it was given."""
    calls: list[list[str]] = []
    module = ModuleType("probeapp.demo")
    module.__spec__ = ModuleSpec("probeapp.demo", None)
    module.extend = lambda platforms, log: calls.append(sorted(platforms))
    monkeypatch.setitem(sys.modules, "probeapp.demo", module)
    monkeypatch.setattr(demo_build, "EXTENSIONS", (*demo_build.EXTENSIONS, "probeapp.demo"))
    return calls


def test_the_demo_loads_once_illustrative_and_a_second_run_adds_nothing(db, monkeypatch):
    calls = probe_extension(monkeypatch)

    built = demo_build.build_demo(log=silent)
    after_first = counts()
    again = demo_build.build_demo(log=silent)
    if_empty = demo_build.build_demo(if_empty=True, log=silent)

    assert sorted(p.slug for p in built) == ["le-sentier", "open-residence"]
    assert again == [] and if_empty == []
    assert counts() == after_first
    assert calls == [["le-sentier", "open-residence"]], "extensions run once, on what was built"
    assert all(p.is_demo for p in Platform.objects.all())


def in_default_period(platform: Platform) -> bool:
    """Every flow lies in the last twelve whole months, which the reports show by default."""
    period = default_period()
    days = EconomicEvent.objects.filter(platform=platform).values_list("occurred_on", flat=True)
    return period.start <= min(days) and max(days) < period.end


def test_if_empty_builds_nothing_when_a_platform_exists(tribe):
    before = counts()

    assert demo_build.build_demo(if_empty=True, log=silent) == []
    assert counts() == before


def test_le_sentier_host_report_has_every_benefit_of_the_seed(db):
    platform = sentier.build(date.today(), silent)

    report = agent_balance(platform, platform.host, draws=500)

    non_market = report["tiers"]["non_market"]
    benefits = {line["key"]: line for line in non_market["benefits"]["lines"]}
    assert SEED_BENEFITS <= set(benefits)
    assert IN_KIND_SERVICES & set(benefits)
    assert all(line["event_count"] > 0 for line in benefits.values())
    assert [line["key"] for line in non_market["off_headline"]["lines"]] == ["press-coverage"]
    assert Decimal(report["tiers"]["market"]["revenue"]) > 0
    assert _market_received(platform) == {"learning-expedition"}
    assert report["context"]["illustrative"] is True
    assert in_default_period(platform)
    assert report["monte_carlo"]["p_ratio_above_1"] is not None


def _market_received(platform: Platform) -> set[str]:
    """Which market specifications the host was paid through (confirmed, uncorrected)."""
    return set(
        EconomicEvent.objects.filter(
            platform=platform,
            receiver=platform.host,
            state__counted=True,
            resource_conforms_to__market=True,
        ).values_list("resource_conforms_to__slug", flat=True)
    )


def test_le_sentier_people_log_in_and_its_ledger_holds_every_state_of_a_flow(db):
    """Pending, disputed with a reason, corrected; and demo logins never take over an
    account that already exists."""
    get_user_model().objects.create_user("claire", "claire@example.org", "her-own-password")
    platform = sentier.build(date.today(), silent)

    hana = Agent.objects.get(platform=platform, slug="hana")
    assert authenticate(username="hana", password=DEMO_PASSWORD) == hana.user
    assert hana.user.email == "hana@demo.tribu.invalid"
    assert platform.host.representatives.filter(pk=hana.pk).exists()
    assert Agent.objects.get(platform=platform, slug="claire").user is None
    assert (
        Agent.objects.filter(
            platform=platform, is_public=True, memberships__role=Role.RESIDENT
        ).count()
        >= 3
    )
    events = EconomicEvent.objects.filter(platform=platform)
    assert events.filter(state__status=Status.PROPOSED).count() >= 2
    disputed = EventStatusChange.objects.get(platform=platform, status=Status.DISPUTED)
    assert disputed.reason and disputed.by == platform.place.representatives.get()
    correction = events.get(corrects__isnull=False)
    assert correction.state.counted and not correction.corrects.state.counted
    assert events.filter(
        action="deliverService",
        provider__memberships__role=Role.RESIDENT,
        receiver__memberships__role=Role.RESIDENT,
    ).exists()


def test_open_residence_has_fifty_residents_whose_contributions_count_in_kind(db):
    """Their work goes to the association, whose accounts show it as bénévolat (864/875)."""
    platform = residence.build(date.today(), silent)

    residents = Agent.objects.filter(platform=platform, memberships__role=Role.RESIDENT)
    assert 45 <= residents.count() <= 55
    assert platform.carrier_profile == CarrierProfile.COMMUNITY_LAB
    assert in_default_period(platform)
    terms = [residence.residency_of(agent) for agent in residents]
    assert all(t and t.months in (4, 8, 12) and 1 <= t.days_per_month <= 5 for t in terms)
    assert all(t.covers(date.today().replace(day=1)) for t in terms)
    work = EconomicEvent.objects.filter(
        platform=platform, action="work", receiver=platform.host, state__counted=True
    )
    assert work.values("provider").distinct().count() >= 45
    assert work.aggregate(days=Sum("resource_quantity"))["days"] > 0

    report = agent_balance(platform, platform.host, draws=200)

    cvn = report["cvn"]
    assert cvn["accounts_86"].get("864") and cvn["class_86"] == cvn["class_87"]
    assert Decimal(report["tiers"]["market"]["revenue"]) > 0  # partner funding
    assert Decimal(report["tiers"]["market"]["costs"]) > 0  # rent and salary
    # A partner company's gift to the association, so the receipt can be tried.
    from tribu.dossiers.receipt import gifts, receipt_data

    gift = gifts(platform).get(resource_conforms_to__slug="in-kind-goods")
    printed = receipt_data(gift)
    assert printed["beneficiary"]["rna"] == "W751000000" and printed["donor"]["siren"]


def test_every_app_demo_hook_is_listed():
    """The demo's extensions are named, not discovered: an app's hook left out fails here."""
    import importlib.util

    from django.apps import apps

    from tribu.demo.build import EXTENSIONS

    found = set()
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:  # a module app has no submodules
            continue
        if spec and callable(getattr(importlib.import_module(name), "extend", None)):
            found.add(name)
    assert set(EXTENSIONS) == found and len(EXTENSIONS) == len(found)

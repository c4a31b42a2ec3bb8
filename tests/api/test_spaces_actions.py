"""The space's page actions through the API: resources and rules, the private calendar
address, residency agreements and contributions, invoicing details. Each calls the
service its page calls."""

from datetime import date, timedelta
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tribu.ledger.models import EconomicEvent, EconomicResource
from tribu.spaces import residency
from tribu.spaces.api import invoicing_out, resource_out
from tribu.spaces.models import FeedToken, LegalDetails, ResidencyAgreement
from tribu.spaces.services import create_agreement, feed_token, space_settings

from .actions import browser, call, message

RESOURCE = {"name": "Chambre Loire", "kind": "room", "spec": "", "capacity": 2, "beds": 2}


def test_a_steward_adds_a_resource_as_on_the_page(world):
    added = call(world, "fanny-autre", "post", "/platforms/autre/resources", RESOURCE)
    assert added.status_code == 201, added.content
    page = browser(world.essai.fanny).post(
        "/p/essai/space/resources/", {**RESOURCE, "form": "resource", "note": ""}
    )
    assert page.status_code == 302
    by_page = EconomicResource.objects.get(platform=world.essai.platform, slug="chambre-loire")
    assert added.json() == resource_out(by_page)
    assert added.json()["specification"] == "hotel-night"


def test_only_stewards_of_the_platform_add_resources(world):
    refused = call(world, "carl-essai", "post", "/platforms/essai/resources", RESOURCE)
    assert refused.status_code == 403
    elsewhere = call(world, "fanny-autre", "post", "/platforms/essai/resources", RESOURCE)
    assert elsewhere.status_code == 404
    assert not EconomicResource.objects.filter(slug="chambre-loire").exists()


def test_a_resource_needs_a_known_kind_and_a_known_valuation(world):
    odd = call(
        world, "fanny-essai", "post", "/platforms/essai/resources", {**RESOURCE, "kind": "castle"}
    )
    assert odd.status_code == 422 and "kind" in message(odd)
    none = call(
        world, "fanny-essai", "post", "/platforms/essai/resources", {**RESOURCE, "capacity": 0}
    )
    assert none.status_code == 422 and "capacity" in message(none)
    unknown = call(
        world, "fanny-essai", "post", "/platforms/essai/resources", {**RESOURCE, "spec": "caviar"}
    )
    assert unknown.status_code == 404 and "caviar" in message(unknown)
    assert not EconomicResource.objects.filter(slug="chambre-loire").exists()


def test_the_rules_of_the_space_set_as_on_the_page(world):
    rules = {"opens_at": "07:30:00", "closes_at": "22:00:00", "guest_max_hours_per_week": 6}
    answer = call(world, "hana-autre", "put", "/platforms/autre/space/settings", rules)
    assert answer.status_code == 200, answer.content
    assert answer.json() == rules
    page = browser(world.essai.hana).post(
        "/p/essai/space/resources/", {**rules, "form": "settings"}
    )
    assert page.status_code == 302
    mine, theirs = space_settings(world.essai.platform), space_settings(world.autre.platform)
    fields = ("opens_at", "closes_at", "guest_max_hours_per_week")
    assert [getattr(mine, f) for f in fields] == [getattr(theirs, f) for f in fields]


def test_the_rules_are_the_stewards_and_must_make_sense(world):
    rules = {"opens_at": "22:00", "closes_at": "07:00", "guest_max_hours_per_week": 6}
    backwards = call(world, "hana-essai", "put", "/platforms/essai/space/settings", rules)
    assert backwards.status_code == 400 and "before it closes" in message(backwards)
    negative = call(
        world,
        "hana-essai",
        "put",
        "/platforms/essai/space/settings",
        {**rules, "closes_at": "23:00", "guest_max_hours_per_week": -1},
    )
    assert negative.status_code == 422 and "guest_max_hours_per_week" in message(negative)
    offset = {**rules, "opens_at": "07:00", "closes_at": "07:43:40.9-08:02"}
    zoned = call(world, "hana-essai", "put", "/platforms/essai/space/settings", offset)
    assert zoned.status_code == 400 and "closes_at" in message(zoned)
    good = {**rules, "closes_at": "23:00"}
    assert (
        call(world, "carl-essai", "put", "/platforms/essai/space/settings", good).status_code == 403
    )
    assert (
        call(world, "hana-autre", "put", "/platforms/essai/space/settings", good).status_code == 404
    )
    assert space_settings(world.essai.platform).opens_at.hour == 8


def test_a_new_calendar_address_replaces_the_old_one(world):
    old = feed_token(world.essai.alice).token
    answer = call(world, "alice-essai", "post", "/platforms/essai/space/calendar-token")
    assert answer.status_code == 201
    url = answer.json()["url"]
    assert url.endswith(".ics") and old not in url
    assert Client().get(url.removeprefix("http://testserver")).status_code == 200
    assert Client().get(f"/p/essai/space/bookings/{old}.ics").status_code == 404
    # The page of one's bookings shows the very address the API answered.
    page = browser(world.essai.alice).get(reverse("spaces-my-bookings", args=["essai"]))
    assert url in page.content.decode()
    # And the page's button makes a new one the same way.
    assert browser(world.essai.alice).post("/p/essai/space/calendar-token/").status_code == 302
    assert feed_token(world.essai.alice).token not in url


def test_a_calendar_address_is_for_members_of_the_platform(world):
    assert (
        call(world, "alice-essai", "post", "/platforms/autre/space/calendar-token").status_code
        == 403
    )
    assert (
        call(world, "alice-autre", "post", "/platforms/essai/space/calendar-token").status_code
        == 404
    )
    assert not FeedToken.objects.filter(agent__platform=world.essai.platform).exists()


TERM = {"start": "2026-01-01", "end": "2026-07-01", "days_owed_per_month": "4.0"}


def test_a_steward_sets_a_residents_terms_as_on_the_page(world):
    made = call(world, "fanny-autre", "post", "/platforms/autre/residency/alice/agreements", TERM)
    assert made.status_code == 201, made.content
    page = browser(world.essai.fanny).post("/p/essai/residency/alice/agreement/", TERM)
    assert page.status_code == 302
    by_page = ResidencyAgreement.objects.get(platform=world.essai.platform)
    expected = residency.agreement_balance(by_page)
    answered = made.json()
    assert answered.pop("agreement_id") != expected.pop("agreement_id")
    assert answered == {
        k: str(v) if isinstance(v, date | Decimal) else v for k, v in expected.items()
    }


def test_terms_are_set_by_stewards_of_the_platform(world):
    path = "/platforms/essai/residency/alice/agreements"
    assert call(world, "alice-essai", "post", path, TERM).status_code == 403
    assert call(world, "fanny-autre", "post", path, TERM).status_code == 404
    ghost = call(world, "fanny-essai", "post", "/platforms/essai/residency/ghost/agreements", TERM)
    assert ghost.status_code == 404
    assert not ResidencyAgreement.objects.exists()


def test_terms_must_make_sense(world):
    path = "/platforms/essai/residency/alice/agreements"
    backwards = call(world, "fanny-essai", "post", path, {**TERM, "end": "2025-12-01"})
    assert backwards.status_code == 400 and "end" in message(backwards)
    negative = call(world, "fanny-essai", "post", path, {**TERM, "days_owed_per_month": "-1"})
    assert negative.status_code == 422 and "days_owed_per_month" in message(negative)
    assert not ResidencyAgreement.objects.exists()


def _terms(tribe):
    today = timezone.localdate()
    return create_agreement(
        tribe.platform,
        tribe.fanny,
        tribe.alice,
        start=today - timedelta(days=30),
        end=today + timedelta(days=60),
        days_owed_per_month=Decimal(4),
    )


def test_a_resident_logs_a_contribution_as_on_the_page(world):
    _terms(world.essai), _terms(world.autre)
    given = {"day": str(timezone.localdate()), "days": "1.5", "note": "Garden"}
    answer = call(
        world, "alice-autre", "post", "/platforms/autre/residency/alice/contributions", given
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "proposed"
    page = browser(world.essai.alice).post("/p/essai/residency/alice/contribute/", given)
    assert page.status_code == 302
    by_api = EconomicEvent.objects.get(pk=answer.json()["event"])
    by_page = EconomicEvent.objects.get(platform=world.essai.platform, note="Garden")
    fields = ("action", "resource_quantity", "unit", "occurred_on", "effort_quantity", "note")
    assert [getattr(by_api, f) for f in fields] == [getattr(by_page, f) for f in fields]


def test_contributions_are_the_residents_or_the_stewards(world):
    _terms(world.essai)
    given = {"day": str(timezone.localdate()), "days": "1"}
    path = "/platforms/essai/residency/alice/contributions"
    assert call(world, "carl-essai", "post", path, given).status_code == 403
    assert call(world, "alice-autre", "post", path, given).status_code == 404
    assert call(world, "fanny-essai", "post", path, given).status_code == 201


def test_a_contribution_is_of_some_days_on_a_day(world):
    _terms(world.essai)
    path = "/platforms/essai/residency/alice/contributions"
    none = call(world, "alice-essai", "post", path, {"day": str(timezone.localdate()), "days": "0"})
    assert none.status_code == 422 and "days" in message(none)
    undated = call(world, "alice-essai", "post", path, {"day": "0", "days": "1"})
    assert undated.status_code == 422 and "day" in message(undated)
    outside = call(world, "alice-essai", "post", path, {"day": "2020-01-01", "days": "1"})
    assert outside.status_code == 400 and "2020-01-01" in message(outside)
    assert not EconomicEvent.objects.filter(action="work").exists()


INVOICING = {
    "legal_name": "Hôte SAS",
    "address": "1 rue de la Paix, Paris",
    "siret": "732 829 320 00074",
    "vat_number": "fr 40 732829320",
    "rna": "w 595 012 345",
    "purpose": "Faire vivre un tiers-lieu",
    "vat_rate": "10.00",
    "vat_exemption": "",
    "payment_days": 45,
    "late_penalty_rate": "12.50",
}


def test_the_invoicing_details_set_as_on_the_page(world):
    answer = call(world, "hana-autre", "put", "/platforms/autre/invoicing", INVOICING)
    assert answer.status_code == 200, answer.content
    assert answer.json()["siret"] == "73282932000074"
    assert (answer.json()["rna"], answer.json()["purpose"]) == ("W595012345", INVOICING["purpose"])
    assert call(world, "hana-autre", "get", "/platforms/autre/invoicing").json() == answer.json()
    page = browser(world.essai.hana).post("/p/essai/invoices/details/", INVOICING)
    assert page.status_code == 302
    assert invoicing_out(world.essai.platform) == invoicing_out(world.autre.platform)


def test_the_invoicing_details_are_the_hosts_and_facilitators(world):
    assert (
        call(world, "carl-essai", "put", "/platforms/essai/invoicing", INVOICING).status_code == 403
    )
    assert call(world, "carl-essai", "get", "/platforms/essai/invoicing").status_code == 403
    assert (
        call(world, "hana-autre", "put", "/platforms/essai/invoicing", INVOICING).status_code == 404
    )
    assert not LegalDetails.objects.exists()


def test_invoicing_details_that_do_not_hold_are_refused(world):
    path = "/platforms/essai/invoicing"
    short = call(world, "hana-essai", "put", path, {**INVOICING, "siret": "123"})
    assert short.status_code == 400 and "SIRET" in message(short)
    rna = call(world, "hana-essai", "put", path, {**INVOICING, "rna": "12345"})
    assert rna.status_code == 400 and "RNA" in message(rna)
    page = browser(world.essai.hana).post("/p/essai/invoices/details/", {**INVOICING, "rna": "1"})
    assert page.status_code == 200 and "RNA" in page.context["form"].errors["rna"][0]
    rate = call(world, "hana-essai", "put", path, {**INVOICING, "vat_rate": "200"})
    assert rate.status_code == 422 and "vat_rate" in message(rate)
    assert not LegalDetails.objects.exists()
    assert space_settings(world.essai.platform).payment_days == 30

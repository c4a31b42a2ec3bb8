"""Costs that don't need the landlord: declared with evidence, counted in the market tier,
labelled as not confirmed; a monthly schedule produces one append-only flow a month."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.factories import make_user
from tribu.core.errors import PermissionDenied, TribuError
from tribu.ledger.declared import Schedule, catch_up, declare_flow, declare_recurring
from tribu.ledger.models import Declaration, EconomicEvent, EventState
from tribu.ledger.services import Flow
from tribu.reports.aggregates import Period
from tribu.reports.balance import agent_balance


def rent(tribe, amount="1500", evidence="Bail du 1er mars, facture 2026-03", **kw) -> Flow:
    return Flow(
        action="transfer",
        provider=tribe.host,
        receiver=tribe.landlord,
        specification=tribe.spec("rent"),
        quantity=Decimal(1),
        occurred=kw.pop("on", timezone.localdate() - timedelta(days=40)),
        evidence=evidence,
        money_amount=Decimal(amount) if amount is not None else None,
        **kw,
    )


def test_a_declared_rent_is_counted_at_once_and_marked_declared(tribe):
    event = declare_flow(tribe.platform, tribe.hana, rent(tribe), "reference")
    assert EventState.objects.get(event=event).counted
    assert Declaration.objects.get(event=event).evidence_kind == "reference"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"evidence": "  "}, "Give the evidence"),
        ({"amount": "0"}, "must be more than 0"),
    ],
)
def test_a_declaration_without_evidence_or_amount_is_refused(tribe, change, words):
    with pytest.raises(TribuError, match=words):
        declare_flow(tribe.platform, tribe.hana, rent(tribe, **change), "reference")
    assert not EconomicEvent.objects.exists()


def test_only_stewards_declare_and_only_with_outsiders(tribe):
    with pytest.raises(PermissionDenied):
        declare_flow(tribe.platform, tribe.alice, rent(tribe), "note")
    between_members = rent(tribe)
    between_members.receiver = tribe.bob
    with pytest.raises(TribuError, match="outside party"):
        declare_flow(tribe.platform, tribe.hana, between_members, "note")
    assert not EconomicEvent.objects.exists()


def test_a_monthly_rent_declared_once_produces_its_months_append_only(tribe):
    today = timezone.localdate()
    start = (
        date(today.year - 1, today.month, 5)
        if today.day >= 5
        else date(today.year - 1, today.month, 1)
    )
    schedule = Schedule(
        tribe.host, tribe.landlord, tribe.spec("rent"), Decimal("1500"), start, "Bail", "document"
    )
    cost = declare_recurring(tribe.platform, tribe.hana, schedule)
    assert cost.flows.count() == 13
    assert catch_up(tribe.platform) == 0
    assert catch_up(tribe.platform, today + timedelta(days=62)) == 2
    with pytest.raises(Exception):  # noqa: B017, PT011 - the engine refuses whatever the class
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM ledger_declaration")


def test_after_declaring_the_rent_the_hosts_ratio_is_defined(tribe):
    today = timezone.localdate()
    period = Period(date(today.year - 1, today.month, 1), today.replace(day=1))
    before = agent_balance(tribe.platform, tribe.host, period, draws=200)
    assert before["extended"]["ratio"] is None
    start = period.start
    schedule = Schedule(
        tribe.host, tribe.landlord, tribe.spec("rent"), Decimal("1500"), start, "Bail", "reference"
    )
    declare_recurring(tribe.platform, tribe.hana, schedule)
    after = agent_balance(tribe.platform, tribe.host, period, draws=200)
    assert after["extended"]["ratio"] is not None
    assert Decimal(str(after["tiers"]["market"]["costs"])) == Decimal("18000.00")


def test_the_costs_page_declares_a_new_outsider_and_labels_the_flow(tribe):
    tribe.hana.user = make_user("hana")
    tribe.hana.save()
    client = Client(headers={"accept-language": "en"})
    client.force_login(tribe.hana.user)
    form = {
        "direction": "cost",
        "specification": tribe.spec("rent").pk,
        "inside": tribe.host.pk,
        "outsider": "",
        "outsider_name": "Nettoyage Express",
        "amount": "300",
        "occurred": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "evidence_kind": "reference",
        "evidence": "Facture 42",
    }
    assert client.post("/p/essai/costs/", form).status_code == 302
    event = EconomicEvent.objects.get()
    assert event.receiver.name == "Nettoyage Express"
    ledger = client.get("/p/essai/ledger/").content.decode()
    assert "declared, not confirmed by the other party" in ledger
    refused = client.post("/p/essai/costs/", {**form, "outsider_name": "Autre", "evidence": ""})
    assert refused.status_code == 200
    assert not EconomicEvent.objects.filter(receiver__name="Autre").exists()


def test_the_api_declares_a_monthly_rent_and_refuses_a_missing_evidence(tribe):
    import json

    from .conftest import api_client

    tribe.hana.user = make_user("hana")
    tribe.hana.save()
    client = api_client(tribe.hana.user)
    body = {
        "provider": "hote",
        "receiver": "bailleur",
        "specification": "rent",
        "amount": "1500",
        "occurred": (timezone.localdate() - timedelta(days=70)).isoformat(),
        "evidence_kind": "reference",
        "evidence": "Bail 2026",
        "monthly": True,
    }
    url = "/api/platforms/essai/declared-flows"
    bad = client.post(url, json.dumps({**body, "evidence": ""}), content_type="application/json")
    assert bad.status_code == 400 and "Give the evidence" in bad.json()["message"]
    good = client.post(url, json.dumps(body), content_type="application/json")
    assert good.status_code == 201 and len(good.json()["events"]) in (2, 3)


def test_the_api_shows_a_declared_flow_as_declared(tribe):
    from .conftest import api_client

    tribe.hana.user = make_user("hana")
    tribe.hana.save()
    event = declare_flow(tribe.platform, tribe.hana, rent(tribe), "reference")
    body = api_client(tribe.hana.user).get(f"/api/platforms/essai/events/{event.pk}").json()
    assert body["declared"] is True and body["status"] == "confirmed"


def test_the_daily_job_records_the_months_that_came(tribe, capsys):
    from django.core.management import call_command

    today = timezone.localdate()
    start = today.replace(day=1)
    schedule = Schedule(
        tribe.host, tribe.landlord, tribe.spec("rent"), Decimal("900"), start, "Bail", "note"
    )
    cost = declare_recurring(tribe.platform, tribe.hana, schedule)
    assert cost.flows.count() == 1
    call_command("declared_costs", platform="essai")
    assert "essai: 0" in capsys.readouterr().out
    assert cost.flows.count() == 1

"""Opt-in publication: preview, publish, withdraw; the page is for stewards only."""

import json

import pytest
from django.urls import reverse

from tests.factories import make_user
from tribu.core.errors import Conflict
from tribu.observatory import services
from tribu.observatory.models import Document, Withdrawal
from tribu.observatory.signing import instance_key, verify


@pytest.fixture
def steward(year_of_flows, client):
    user = make_user("hana-obs")
    year_of_flows.hana.user = user
    year_of_flows.hana.save()
    client.force_login(user)
    return client


def test_nothing_is_published_until_a_steward_chooses(year_of_flows, client):
    assert services.feed()["documents"] == []
    assert client.get(reverse("observatory-feed")).json()["documents"] == []


def test_published_document_is_signed_and_served(year_of_flows, client):
    doc = services.publish(year_of_flows.platform, 2025)
    served = client.get(reverse("observatory-document", args=[doc.doc_id])).json()
    key = client.get(reverse("observatory-key")).json()
    assert key["public_key"] == instance_key().public_key
    assert verify(key["public_key"], served["document"], served["signature"])
    assert served["document"]["economics"]["market_costs"] == 24000
    with pytest.raises(Conflict):
        services.publish(year_of_flows.platform, 2025)


def test_withdrawal_is_a_signed_document_in_the_feed(year_of_flows, client):
    doc = services.publish(year_of_flows.platform, 2025)
    services.withdraw(year_of_flows.platform, 2025)
    feed = client.get(reverse("observatory-feed")).json()
    assert feed["documents"] == []
    (item,) = feed["withdrawals"]
    assert item["document"]["withdraws"] == doc.doc_id
    assert verify(feed["public_key"], item["document"], item["signature"])
    again = services.publish(year_of_flows.platform, 2025)  # a new id: …/2
    assert again.doc_id.endswith("/2025/2") and Withdrawal.objects.count() == 1


def test_a_steward_previews_field_by_field_then_publishes(steward, year_of_flows):
    url = reverse("observatory-publication", args=[year_of_flows.platform.slug])
    page = steward.get(url + "?year=2025")
    assert page.status_code == 200
    text = page.content.decode()
    assert "economics.market_costs" in text and "blocs.presentation.donnees.surface" in text
    assert "Loyer secret" not in text and "Alice" not in text
    digest = page.context["digest"]
    publish = reverse("observatory-publish", args=[year_of_flows.platform.slug])
    steward.post(publish, {"year": 2025, "digest": digest})
    doc = Document.objects.get(platform=year_of_flows.platform)
    assert json.loads(doc.body)["economics"] == page.context["draft"]["economics"]


def test_publishing_other_figures_than_those_previewed_is_refused(steward, year_of_flows):
    publish = reverse("observatory-publish", args=[year_of_flows.platform.slug])
    steward.post(publish, {"year": 2025, "digest": "0" * 64})
    assert not Document.objects.exists()


def test_residents_and_visitors_cannot_publish(year_of_flows, client):
    publish = reverse("observatory-publish", args=[year_of_flows.platform.slug])
    assert client.post(publish, {"year": 2025}).status_code == 302  # to the login page
    user = make_user("alice-obs")
    year_of_flows.alice.user = user
    year_of_flows.alice.save()
    client.force_login(user)
    assert client.post(publish, {"year": 2025}).status_code == 403
    url = reverse("observatory-publication", args=[year_of_flows.platform.slug])
    assert client.get(url).status_code == 403
    assert not Document.objects.exists()


def test_the_api_gives_the_figures_and_lets_a_steward_publish(year_of_flows, client):
    from tribu.api.tokens import issue_token

    figures = client.get("/api/observatory/figures").json()
    assert figures["years"] == 0 and figures["by_cause"] == []
    for agent, name in ((year_of_flows.hana, "hana-api"), (year_of_flows.alice, "alice-api")):
        agent.user = make_user(name)
        agent.save()
    url = "/api/platforms/obs/observatory/2025"
    as_alice = {"HTTP_AUTHORIZATION": f"Bearer {issue_token('alice-api')}"}
    assert client.post(url, **as_alice).status_code == 403
    as_hana = {"HTTP_AUTHORIZATION": f"Bearer {issue_token('hana-api')}"}
    assert client.get("/api/platforms/obs/observatory/1", **as_hana).status_code == 400
    published = client.post(url, **as_hana)
    assert published.status_code == 201
    assert client.get(published.json()["url"]).json()["document"]["year"] == 2025
    assert client.delete(url, **as_hana).status_code == 200
    assert not Document.objects.filter(withdrawn_at=None).exists()


def test_the_key_is_made_once_and_its_private_half_never_served(db, client):
    from tribu.observatory.apps import make_key
    from tribu.observatory.models import InstanceKey
    from tribu.observatory.signing import b64

    InstanceKey.objects.all().delete()
    make_key(None)
    make_key(None)
    (key,) = InstanceKey.objects.all()
    private = b64(bytes(key.private_key))
    for url in ("observatory-key", "observatory-feed"):
        assert private not in client.get(reverse(url)).content.decode()


def test_a_document_is_exported_under_commune_mesures_names(year_of_flows, client):
    doc = services.publish(year_of_flows.platform, 2025)
    record = client.get(reverse("observatory-commune-mesure", args=[doc.doc_id])).json()
    presentation = record["blocs"]["presentation"]["donnees"]
    assert presentation["surface"] == 200
    assert record["address"]["city"] == "75102"
    assert record["evenements"]["publics"]["nombre"] == 0
    assert record["blocs"]["moyens"]["donnees"]["benevoles"] == 1
    assert record["blocs"]["moyens"]["donnees"]["fonctionnement"] == {"Recettes": 0}

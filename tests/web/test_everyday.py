"""Everyday use: plain words in forms, the record-and-confirm loop, one's own page."""

from django.urls import reverse

from tests.web.conftest import last_month, login
from tribu.ledger.models import EconomicEvent


def record_page(tribe):
    return reverse("event-record", args=[tribe.platform.slug])


def test_a_flow_without_its_declared_value_is_refused_in_plain_words(client, web_tribe):
    login(client, web_tribe.alice)
    before = EconomicEvent.objects.count()
    referral = web_tribe.platform.specifications.get(slug="business-referral")
    response = client.post(
        record_page(web_tribe),
        {
            "specification": referral.pk,
            "provider": web_tribe.alice.pk,
            "receiver": web_tribe.host.pk,
            "quantity": "1",
            "occurred": last_month().isoformat(),
            "action": "transfer",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert EconomicEvent.objects.count() == before
    assert "n’a pas de prix fixé" in page
    assert "declared_value :" not in page and "declared_value:" not in page
    assert "business-referral" not in page


def test_each_kind_of_flow_is_explained_where_it_is_chosen(client, web_tribe):
    login(client, web_tribe.alice)
    page = client.get(record_page(web_tribe)).content.decode()
    assert "Usage — un espace ou un objet prêté" in page
    assert "Citation — une mention de l’autre" in page

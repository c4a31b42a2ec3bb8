"""Everyday use: plain words in forms, the record-and-confirm loop, one's own page."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

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


def test_the_header_counts_the_flows_to_confirm_and_a_click_confirms_in_place(client, web_tribe):
    login(client, web_tribe.hana)
    home = client.get(reverse("home")).content.decode()
    assert "1 flux à confirmer" in home
    listing = client.get(reverse("to-confirm")).content.decode()
    assert f'id="event-{web_tribe.proposed.pk}"' in listing
    confirm = reverse("event-confirm", args=[web_tribe.platform.slug, web_tribe.proposed.pk])
    row = client.post(confirm, headers={"HX-Request": "true"})
    assert row.status_code == 200
    assert "status confirmed" in row.content.decode()
    assert "confirmé" in row.content.decode() and 'role="status"' in row.content.decode()
    assert "flux à confirmer" not in client.get(reverse("home")).content.decode()


def test_the_event_page_history_refreshes_itself_after_a_change(client, web_tribe):
    login(client, web_tribe.hana)
    url = reverse("event-detail", args=[web_tribe.platform.slug, web_tribe.proposed.pk])
    page = client.get(url).content.decode()
    assert 'id="history"' in page and 'hx-trigger="ledger-changed from:body"' in page


def test_a_flow_confirmed_today_is_in_the_default_balance_sheet(client, web_tribe):
    from tests.factories import record
    from tribu.ledger.services import confirm_event

    before = client_sheet(client, web_tribe)
    today = timezone.localdate()
    event = record(
        web_tribe, web_tribe.alice, "day-pass", web_tribe.alice, web_tribe.host, 7, on=today
    )
    confirm_event(event, web_tribe.hana)
    assert client_sheet(client, web_tribe) > before


def client_sheet(client, tribe):
    login(client, tribe.hana)
    response = client.get(reverse("balance-sheet", args=[tribe.platform.slug]))
    return Decimal(response.context["sheet"]["tiers"]["non_market"]["benefits"]["total"])


def test_ones_own_page_edits_the_profile_and_leaving_is_tucked_away(client, web_tribe):
    login(client, web_tribe.alice)
    slug = web_tribe.platform.slug
    page = client.get(reverse("community-member", args=[slug, "alice"])).content.decode()
    edit = reverse("community-profile-edit", args=[slug])
    assert edit in page and reverse("community-project-new", args=[slug]) in page
    assert page.index(edit) < page.index('<details class="leave">')
    assert '<p class="badge">Résident·e</p>' in page
    response = client.post(edit, {"name": "Alice Martin", "bio": "Je répare des vélos."})
    assert response.status_code == 302
    web_tribe.alice.refresh_from_db()
    assert (web_tribe.alice.name, web_tribe.alice.bio) == ("Alice Martin", "Je répare des vélos.")


def test_the_demo_login_page_says_how_to_log_in_as_a_demo_person(client, web_tribe):
    from tribu.demo.kit import DEMO_PASSWORD
    from tribu.platforms.models import Platform

    assert DEMO_PASSWORD not in client.get(reverse("account_login")).content.decode()
    Platform.objects.filter(pk=web_tribe.platform.pk).update(is_demo=True)
    page = client.get(reverse("account_login")).content.decode()
    assert DEMO_PASSWORD in page
    assert "hana-essai" in page and "fanny-essai" in page and "alice-essai" in page

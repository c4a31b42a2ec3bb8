"""Stored payloads come out escaped on every page; forms refuse posts without a CSRF token."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import record
from tests.web.conftest import last_month, login
from tribu.ledger.catalogue import edit_catalogue
from tribu.ledger.models import ResourceSpecification
from tribu.ledger.services import dispute_event
from tribu.platforms.models import Platform
from tribu.platforms.services import add_agent, set_role

pytestmark = pytest.mark.django_db

PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
RAW = ("<script>alert(1)", "<img src=x onerror")


@pytest.fixture
def poisoned(web_tribe):
    """Every text a user can write somewhere, holding both payloads."""
    tribe, evil = web_tribe, " ".join(PAYLOADS)
    Platform.objects.filter(pk=tribe.platform.pk).update(
        name=f"Tribu {evil}", cause_title=evil, manifesto=evil, address=evil
    )
    tribe.platform.refresh_from_db()
    ResourceSpecification.objects.filter(platform=tribe.platform, slug="volunteer-hour").update(
        name_fr=evil, name_en=evil
    )
    mallory = add_agent(
        tribe.platform, slug="mallory", name=evil, role="resident", is_public=True, bio=evil
    )
    set_role(mallory, "newcomer", by=tribe.hana, reason=evil)
    event = record(
        tribe,
        mallory,
        "volunteer-hour",
        mallory,
        tribe.host,
        2,
        note=evil,
        evidence="javascript:alert(1)",
        on=last_month(),
    )
    dispute_event(event, tribe.hana, evil)
    confirmed = record(
        tribe,
        mallory,
        "volunteer-hour",
        mallory,
        tribe.host,
        3,
        note=evil,
        evidence=PAYLOADS[1],
        on=last_month(),
    )
    from tribu.ledger.services import confirm_event

    confirm_event(confirmed, tribe.hana)
    edit_catalogue(tribe.platform, tribe.hana, {"volunteer-hour": {"source": evil}}, evil)
    return tribe, event


def every_page(tribe, event) -> list[str]:
    s = tribe.platform.slug
    return [
        reverse("home"),
        reverse("profile"),
        reverse("platform-detail", args=[s]),
        reverse("ledger", args=[s]),
        reverse("event-detail", args=[s, event.pk]),
        reverse("event-record", args=[s]),
        reverse("event-correct", args=[s, event.pk]),
        reverse("balance-sheet", args=[s]),
        reverse("balance-sheet", args=[s]) + "?agent=mallory",
        reverse("balance-line", args=[s, "volunteer-hour"]),
        reverse("flow-map", args=[s]),
        reverse("members", args=[s]),
        reverse("catalogue", args=[s]),
        reverse("catalogue-version", args=[s, 2]),
        reverse("catalogue-edit", args=[s, "volunteer-hour"]),
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_stored_payloads_are_escaped_on_every_page(poisoned, language):
    tribe, event = poisoned
    client = login(Client(HTTP_ACCEPT_LANGUAGE=language), tribe.hana)
    for url in every_page(tribe, event):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        for raw in RAW:
            assert raw not in page, (url, raw)
        assert 'href="javascript:' not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url  # shown, as text


def test_csv_export_defuses_formulas(web_tribe):
    tribe = web_tribe
    ResourceSpecification.objects.filter(platform=tribe.platform, slug="day-pass").update(
        name_fr="=HYPERLINK(1)", name_en="=HYPERLINK(1)"
    )
    client = login(Client(), tribe.alice)
    text = client.get(reverse("balance-csv", args=[tribe.platform.slug])).content.decode()
    assert "'=HYPERLINK(1)" in text
    assert ",=HYPERLINK" not in text


def csrf_posts(tribe):
    s, event = tribe.platform.slug, tribe.proposed.pk
    return [
        reverse("event-record", args=[s]),
        reverse("event-confirm", args=[s, event]),
        reverse("event-dispute", args=[s, event]),
        reverse("event-correct", args=[s, event]),
        reverse("members", args=[s]),
        reverse("catalogue-edit", args=[s, "day-pass"]),
        reverse("account_logout"),
        reverse("set_language"),
    ]


def test_forms_refuse_posts_without_a_csrf_token(web_tribe):
    client = login(Client(enforce_csrf_checks=True), web_tribe.hana)
    for url in csrf_posts(web_tribe):
        assert client.post(url, {"reason": "x"}).status_code == 403, url
    for url in (reverse("account_login"), reverse("account_signup")):
        assert Client(enforce_csrf_checks=True).post(url, {}).status_code == 403, url


def test_forms_accept_posts_with_the_pages_token(web_tribe):
    client = login(Client(enforce_csrf_checks=True), web_tribe.hana)
    s, event = web_tribe.platform.slug, web_tribe.proposed.pk
    client.get(reverse("ledger", args=[s]))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("event-confirm", args=[s, event]), HTTP_X_CSRFTOKEN=token, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200

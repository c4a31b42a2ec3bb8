"""Stewards choose, on the settings page or through the API, what people on trial see."""

import pytest
from django.test import Client

from tests.factories import make_tribe, make_user
from tribu.platforms.models import Platform, Role
from tribu.platforms.services import add_agent

from .conftest import api_client


@pytest.fixture
def essai(db):
    tribe = make_tribe("essai", users=True)
    tribe.nina = add_agent(
        tribe.platform, slug="nina", name="Nina", role=Role.NEWCOMER, user=make_user("nina")
    )
    return tribe


def web(agent) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(agent.user)
    return client


def balances(agent) -> int:
    return web(agent).get("/p/essai/balance/").status_code


def test_a_steward_widens_on_the_settings_page_and_a_newcomer_then_sees(essai):
    settings = web(essai.hana).get("/p/essai/settings/").content.decode()
    assert 'name="areas" value="balances"' in settings
    assert balances(essai.nina) == 403
    response = web(essai.hana).post("/p/essai/settings/trial/", {"areas": ["balances"]})
    assert response.status_code == 302
    assert Platform.objects.get(slug="essai").trial_sees == ["balances"]
    assert balances(essai.nina) == 200
    settings = web(essai.hana).get("/p/essai/settings/").content.decode()
    assert 'value="balances" checked' in settings


def test_a_steward_widens_through_the_api(essai):
    response = api_client(essai.fanny.user).put(
        "/api/platforms/essai/trial-areas",
        {"areas": ["members", "ledger"]},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json() == {"areas": ["ledger", "members"]}


def test_someone_who_is_not_a_steward_is_refused(essai):
    page = web(essai.alice).post("/p/essai/settings/trial/", {"areas": ["ledger"]})
    assert page.status_code == 403
    response = api_client(essai.alice.user).put(
        "/api/platforms/essai/trial-areas", {"areas": ["ledger"]}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Platform.objects.get(slug="essai").trial_sees == []


def test_an_unknown_area_is_refused_by_its_name(essai):
    response = api_client(essai.hana.user).put(
        "/api/platforms/essai/trial-areas",
        {"areas": ["ledger", "secrets"]},
        content_type="application/json",
    )
    assert response.status_code == 400 and "secrets" in response.json()["message"]
    page = web(essai.hana).post("/p/essai/settings/trial/", {"areas": ["secrets"]}, follow=True)
    assert "secrets" in page.content.decode()
    assert Platform.objects.get(slug="essai").trial_sees == []

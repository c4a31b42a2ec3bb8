"""A page's Monte Carlo runs once per state of the ledger and catalogue, and every page and
worker that shows it reads the same result from the shared cache."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from tests.web.conftest import login
from tests.web.test_login_limits import Worker
from tribu.ledger.catalogue import edit_catalogue
from tribu.ledger.services import confirm_event
from tribu.reports import balance
from tribu.reports.balance import balance_cache_key, default_period


@pytest.fixture
def simulations(monkeypatch):
    """Counts the runs of the valuation engine behind every balance sheet."""
    runs = []
    engine = balance.balance_sheet_and_draws

    def counted(*args, **kwargs):
        runs.append(1)
        return engine(*args, **kwargs)

    monkeypatch.setattr(balance, "balance_sheet_and_draws", counted)
    return runs


def balance_page(client, tribe):
    return client.get(reverse("balance-sheet", args=[tribe.platform.slug]))


def test_a_second_view_in_another_worker_does_not_rerun_the_simulation(
    web_tribe, simulations, monkeypatch
):
    first, second = Worker(), Worker()
    for worker in (first, second):
        with worker.running(monkeypatch) as client:
            login(client, web_tribe.hana)
            assert balance_page(client, web_tribe).status_code == 200
    assert len(simulations) == 1
    confirm_event(web_tribe.proposed, web_tribe.hana)
    with second.running(monkeypatch) as client:
        assert balance_page(client, web_tribe).status_code == 200
    assert len(simulations) == 2


def test_the_cause_page_shares_the_balance_pages_simulation(client, web_tribe, simulations):
    login(client, web_tribe.hana)
    balance_page(client, web_tribe)
    client.get(reverse("platform-detail", args=[web_tribe.platform.slug]))
    assert len(simulations) == 1


def test_a_new_event_status_or_catalogue_version_changes_the_key(web_tribe):
    def key():
        return balance_cache_key(web_tribe.platform, web_tribe.host, default_period(), 500, 7, "fr")

    before = key()
    assert key() == before
    confirm_event(web_tribe.proposed, web_tribe.hana)
    confirmed = key()
    assert confirmed != before
    edit_catalogue(web_tribe.platform, web_tribe.hana, {"day-pass": {"source": "new survey"}})
    assert key() not in (before, confirmed)


def test_the_cached_sheet_keeps_its_draws(web_tribe):
    sheet, draws = balance.agent_balance_and_draws(web_tribe.platform, web_tribe.host)
    key = balance_cache_key(
        web_tribe.platform,
        web_tribe.host,
        default_period(),
        balance.settings.TRIBU_REPORT_DRAWS,
        balance.settings.TRIBU_REPORT_SEED,
        "fr",
    )
    stored_sheet, stored_draws = caches["default"].get(key)
    assert stored_sheet == sheet
    assert (stored_draws == draws).all() and len(stored_draws) == len(draws)


def test_the_cause_pages_figures_follow_the_platforms_currency(web_tribe):
    """The headline is kept by the ledger's stamp; a setting it shows changes its key too."""
    from tribu.platforms.models import Platform
    from tribu.reports.headline import platform_headline

    platform = web_tribe.platform
    assert platform_headline(platform)["currency"] == platform.currency
    Platform.objects.filter(pk=platform.pk).update(currency="CHF")
    platform.refresh_from_db()
    assert platform_headline(platform)["currency"] == "CHF"

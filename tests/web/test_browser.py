"""End to end in headless Chromium: a newcomer signs up, is added to the platform, records
a flow, the host confirms it, and the host's balance sheet changes — in French and English.

Screenshots of the main pages go to test-artifacts/web/.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import ARTIFACTS as ALL_ARTIFACTS
from tests.browser import launch
from tests.factories import flow, make_tribe
from tests.web.conftest import last_month
from tribu.agents.models import Agent
from tribu.ledger.services import record_event

ARTIFACTS = ALL_ARTIFACTS / "web"
pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def money(text: str) -> Decimal:
    return Decimal(text.split()[0].replace("\u202f", "").replace(",", ""))


def test_newcomer_flow_confirmed_by_the_host_changes_the_balance_sheet(
    browser, live_server, transactional_db
):
    tribe = make_tribe("sentier", users=True)
    record_event(
        tribe.platform,
        tribe.hana,
        flow(
            tribe,
            "rent",
            tribe.host,
            tribe.landlord,
            1,
            on=last_month(),
            action="transfer",
            money_amount=Decimal(100),
        ),
        system=True,
    )
    base, slug = live_server.url, tribe.platform.slug
    newcomer = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    host = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    nina, hana = newcomer.new_page(), host.new_page()

    nina.goto(f"{base}/p/{slug}/")
    assert nina.locator("html").get_attribute("lang") == "fr"
    assert nina.get_by_text("Le futur du travail").first.is_visible()
    shot(nina, "fr-cause")

    nina.goto(f"{base}/accounts/signup/")
    nina.fill("input[name=email]", "nina@example.org")
    nina.fill("input[name=username]", "nina")
    nina.fill("input[name=password1]", "un-long-mot-de-passe-42")
    nina.fill("input[name=password2]", "un-long-mot-de-passe-42")
    shot(nina, "fr-signup")
    nina.click("main button[type=submit]")
    nina.wait_for_url(lambda url: "/accounts/signup" not in url)

    log_in(hana, base, "hana-sentier", "pw-" + "hana-sentier" * 2)
    hana.goto(f"{base}/p/{slug}/roles/")
    hana.fill("input[name=user]", "nina@example.org")
    hana.select_option("select[name=role]", "newcomer")
    hana.click("main form button[type=submit]")
    assert hana.locator("td", has_text="nina").first.is_visible()
    shot(hana, "fr-roles")

    hana.goto(f"{base}/p/{slug}/balance/")
    before = money(hana.locator("#non-market-benefits").inner_text())

    agent = Agent.objects.get(platform=tribe.platform, user__username="nina")
    nina.goto(f"{base}/p/{slug}/ledger/new/")
    nina.select_option("select[name=specification]", str(tribe.spec("day-pass").pk))
    nina.select_option("select[name=provider]", str(agent.pk))
    nina.select_option("select[name=receiver]", str(tribe.host.pk))
    nina.fill("input[name=quantity]", "4")
    nina.fill("input[name=occurred]", last_month().isoformat())
    nina.fill("textarea[name=note]", "Quatre journées de coworking offertes à l'hôte")
    shot(nina, "fr-record")
    nina.click("main form button[type=submit]")
    nina.wait_for_url(f"{base}/p/{slug}/ledger/")
    assert nina.locator("tr", has_text="Quatre journées").locator(".status.proposed").is_visible()

    hana.goto(f"{base}/p/{slug}/ledger/")
    row = hana.locator("tr", has_text="Quatre journées")
    row.get_by_role("button", name="Confirmer").click()
    row = hana.locator("tr", has_text="Quatre journées")
    row.locator(".status.confirmed").wait_for()
    hana.locator("#ledger-totals", has_text="0 en attente").wait_for()
    shot(hana, "fr-ledger")

    hana.goto(f"{base}/p/{slug}/balance/")
    after = money(hana.locator("#non-market-benefits").inner_text())
    assert after > before
    assert hana.locator("#extended-ratio").inner_text() != "—"
    assert hana.locator("svg[role=img]").count() == 3
    shot(hana, "fr-balance")
    hana.goto(f"{base}/p/{slug}/flows/")
    assert hana.locator("svg[role=img] path").count() >= 1
    shot(hana, "fr-flows")
    hana.goto(f"{base}/p/{slug}/catalogue/")
    shot(hana, "fr-catalogue")

    hana.get_by_role("button", name="EN").click()
    hana.wait_for_load_state()
    assert hana.locator("html").get_attribute("lang") == "en"
    for path, name in (
        (f"/p/{slug}/", "en-cause"),
        (f"/p/{slug}/ledger/", "en-ledger"),
        (f"/p/{slug}/balance/", "en-balance"),
        (f"/p/{slug}/flows/", "en-flows"),
        (f"/p/{slug}/catalogue/", "en-catalogue"),
        ("/me/", "en-profile"),
    ):
        hana.goto(base + path)
        shot(hana, name)
    hana.goto(f"{base}/p/{slug}/balance/")
    assert hana.get_by_role("heading", name="How sure are we? Monte Carlo").is_visible()
    newcomer.close()
    host.close()

"""End to end in Chromium: a whole joining (apply → two vouches → resident), and a need
matched, marked helpful, confirmed by the helper, until it shows in the balance sheet."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser import ARTIFACTS, launch
from tests.factories import make_tribe, make_user
from tribu.community.models import Application, Match
from tribu.ledger.services import current_status
from tribu.platforms.models import Role
from tribu.platforms.services import add_agent


def logged_in(browser, base: str, username: str, password: str):
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    return page


def as_member(browser, base, username):
    return logged_in(browser, base, username, "pw-" + username * 2)


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"community-{name}.png"), full_page=True)


@pytest.mark.browser
def test_a_newcomer_applies_is_vouched_for_twice_and_becomes_a_resident(
    transactional_db, live_server
):
    from playwright.sync_api import sync_playwright

    make_tribe("essai", users=True)
    make_user("nina")
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        nina = as_member(browser, base, "nina")
        nina.goto(f"{base}/p/essai/join/")
        nina.fill("#id_name", "Nina Lefèvre")
        nina.fill("#id_statement", "J'accompagne des indépendants : le futur du travail.")
        shot(nina, "join")
        nina.locator("form.card button[type=submit]").click()
        nina.wait_for_url("**/joining/*/")
        application = Application.objects.get(agent__name="Nina Lefèvre")

        for username in ("alice-essai", "bob-essai"):
            page = as_member(browser, base, username)
            page.goto(f"{base}/p/essai/joining/{application.pk}/")
            page.fill("#vouch-note", f"{username} : rencontrée à l'apéro, elle partage la Cause.")
            page.locator("form[action$='/vouch/'] button").click()
            page.wait_for_load_state()
        shot(page, "application-accepted")
        assert "status-accepted" in page.content()

        nina.goto(f"{base}/p/essai/joining/{application.pk}/")
        steps = nina.locator("ol.timeline li")
        assert steps.count() == 4  # applied, two vouches, became a resident
        browser.close()
    application.refresh_from_db()
    assert application.status == "accepted"
    assert application.agent.memberships.get().role == Role.RESIDENT


@pytest.mark.browser
def test_a_need_is_matched_helped_confirmed_and_shows_in_the_balance_sheet(
    transactional_db, live_server
):
    from playwright.sync_api import sync_playwright

    tribe = make_tribe("essai", users=True)
    add_agent(
        tribe.platform,
        slug="chloe",
        name="Chloé",
        role=Role.RESIDENT,
        user=make_user("chloe-essai"),
    )
    base = live_server.url
    today = timezone.localdate()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        bob = as_member(browser, base, "bob-essai")
        bob.goto(f"{base}/p/essai/intents/")
        bob.select_option("#id_kind", "offer")
        bob.fill("#id_title", "Relecture de dossiers de subvention")
        bob.fill("#id_tags", "subventions, écriture")
        bob.locator("form.quick button[type=submit]").click()
        bob.wait_for_url("**/intents/*/")

        alice = as_member(browser, base, "alice-essai")
        alice.goto(f"{base}/p/essai/intents/")
        alice.select_option("#id_kind", "need")
        alice.fill("#id_title", "Aide pour écrire un dossier de subvention")
        alice.fill("#id_tags", "subventions")
        alice.locator("form.quick button[type=submit]").click()
        alice.wait_for_url("**/intents/*/")
        need_url = alice.url
        reason = alice.locator("article.match .reason").first.inner_text()
        assert "subventions" in reason
        shot(alice, "need-matched")

        alice.locator("form.helped input[name=hours]").first.fill("2")
        alice.locator("form.helped button[type=submit]").first.click()
        alice.wait_for_load_state()
        assert alice.locator("[data-status=proposed]").count() == 1

        bob.goto(need_url)
        bob.locator("form[action*='/confirm/'] button").click()
        bob.wait_for_load_state()
        assert bob.locator("[data-status=confirmed]").count() == 1
        shot(bob, "need-confirmed")

        event = Match.objects.get(status="helped").event
        assert current_status(event) == "confirmed"
        alice.goto(f"{base}/p/essai/ledger/{event.pk}/")
        assert alice.locator("body").inner_text().count("Bob") >= 1
        start, end = today.replace(day=1), today + timedelta(days=1)
        alice.goto(f"{base}/p/essai/balance/?agent=alice&start={start}&end={end}")
        row = alice.locator("tr", has=alice.locator("a[href*='/balance/volunteer-hour/']"))
        assert row.first.locator("td.explain").inner_text().startswith("2\u00a0heures")
        shot(alice, "balance")

        fanny = as_member(browser, base, "fanny-essai")
        fanny.goto(f"{base}/p/essai/facilitation/")
        assert fanny.locator("figure.network svg path[stroke]").count() == 1
        shot(fanny, "dashboard")
        browser.close()


@pytest.mark.browser
def test_a_charter_change_is_adopted_once_its_advice_period_has_passed(
    transactional_db, live_server
):
    """With an advice period of 0 days the period is over at once: the scheduled tick
    adopts the proposal, since nobody objected (reading the page never does)."""
    from playwright.sync_api import sync_playwright

    from tribu.community import services

    tribe = make_tribe("essai", users=True)
    services.start_charter(tribe.platform, "1. On range la cuisine.", tribe.fanny)
    settings = services.settings_for(tribe.platform)
    settings.advice_days = 0
    settings.save()
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        alice = as_member(browser, base, "alice-essai")
        alice.goto(f"{base}/p/essai/charter/")
        alice.locator("details summary").click()
        alice.fill("#id_text", "1. On range la cuisine.\n2. Silence après 22 h.")
        alice.fill("#id_rationale", "Des résidents dorment sur place.")
        alice.locator("form[action$='/propose/'] button").click()
        alice.wait_for_url("**/charter/proposals/*/")
        assert services.tick(tribe.platform)["adopted"] == 1
        alice.goto(f"{base}/p/essai/charter/")
        assert "Silence après 22 h." in alice.locator(".charter-text").first.inner_text()
        assert alice.locator("section.version").count() == 2
        assert alice.locator(".diff .diff_add").count() >= 1
        shot(alice, "charter")
        browser.close()

"""In Chromium, one browser for both tests: every page of the demo fits a 390-pixel phone
and has no serious or critical accessibility violation (axe-core, served from
tests/axe/node_modules, see scripts/ensure-axe); and the keyboard alone records a flow
and confirms it."""

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests import pages
from tests.browser import ARTIFACTS, launch
from tests.factories import make_tribe
from tests.web.conftest import last_month
from tribu.demo.kit import DEMO_PASSWORD
from tribu.ledger.models import EconomicEvent

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[1] / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def browser():
    # Playwright's loop outlives each test here, so the database may be used beside it
    # until the module ends (the flush after a transactional test included).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as p:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = launch(p)
        yield chromium
        chromium.close()


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def violations(page) -> list[str]:
    """Serious and critical axe-core violations of the page, one line each."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {n['target']}"
        for v in found
        if v["impact"] in BLOCKING
        for n in v["nodes"][:3]
    ]


def test_every_page_fits_a_phone_and_has_no_serious_accessibility_violation(
    browser, live_server, transactional_db
):
    assert AXE.exists(), "axe-core is missing: run scripts/ensure-axe"
    pages.build()
    # axe is injected as a script of its own: the tests let it past the page's policy.
    contexts = {}
    too_wide, inaccessible = {}, {}
    for user, path in pages.every_page():
        if user not in contexts:
            context = browser.new_context(locale="fr-FR", viewport=PHONE, bypass_csp=True)
            page = context.new_page()
            if user:
                log_in(page, live_server.url, user, DEMO_PASSWORD)
            contexts[user] = page
        page = contexts[user]
        response = page.goto(live_server.url + path)
        assert response.ok, (path, response.status)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
        wrong = violations(page)
        if wrong:
            inaccessible[path] = wrong
    for page in contexts.values():
        page.context.close()
    assert not too_wide, too_wide
    assert not inaccessible, "\n".join(f"{k}: {v}" for k, v in inaccessible.items())


def test_the_keyboard_alone_records_a_flow_and_confirms_it(browser, live_server, transactional_db):
    tribe = make_tribe("clavier", users=True)
    base, slug = live_server.url, tribe.platform.slug
    alice = browser.new_context(locale="fr-FR").new_page()
    log_in(alice, base, "alice-clavier", "pw-" + "alice-clavier" * 2)
    alice.goto(f"{base}/p/{slug}/ledger/new/")

    def tab_to(page, selector: str) -> None:
        """Press Tab until `selector` has the focus (at most 60 times)."""
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to(alice, "select[name=specification]")
    alice.keyboard.type("Journée")  # a select jumps to the option typed
    tab_to(alice, "select[name=receiver]")
    alice.keyboard.type("Hôte")
    tab_to(alice, "input[name=quantity]")
    alice.keyboard.type("3")
    tab_to(alice, "input[name=occurred]")
    day = last_month()
    alice.keyboard.type(day.strftime("%m%d%Y"))
    tab_to(alice, "textarea[name=note]")
    alice.keyboard.type("Trois journées au clavier")
    tab_to(alice, "main form button[type=submit]")
    alice.keyboard.press("Enter")
    alice.wait_for_url(f"{base}/p/{slug}/ledger/")
    assert alice.locator("tr", has_text="Trois journées au clavier").count() == 1

    hana = browser.new_context(locale="fr-FR").new_page()
    log_in(hana, base, "hana-clavier", "pw-" + "hana-clavier" * 2)
    tab_to(hana, "a.awaiting")
    hana.keyboard.press("Enter")
    hana.wait_for_url(f"{base}/me/to-confirm/")
    tab_to(hana, "button.small:not(.secondary)")
    hana.keyboard.press("Enter")
    hana.locator("p.done[role=status]").wait_for()
    assert hana.locator(".status.confirmed").count() == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    hana.screenshot(path=str(ARTIFACTS / "web-keyboard-confirmed.png"), full_page=True)
    event = EconomicEvent.objects.get(platform=tribe.platform, note="Trois journées au clavier")
    assert event.state.status == "confirmed" and event.resource_quantity == Decimal(3)

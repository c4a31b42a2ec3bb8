"""End to end in Chromium: a steward previews and publishes a year, the observatory and
the map in French and English, on a wide and a narrow screen (screenshots kept)."""

import pytest

from tests.browser import ARTIFACTS, launch
from tests.factories import make_user
from tribu.observatory.demo import illustrative_peers

SIZES = {"1280": (1280, 900), "390": (390, 844)}


def shoot(browser, url: str, name: str) -> None:
    for language in ("fr", "en"):
        for size, (width, height) in SIZES.items():
            page = browser.new_page(locale=language, viewport={"width": width, "height": height})
            page.set_extra_http_headers({"Accept-Language": language})
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            page.screenshot(path=str(ARTIFACTS / f"{name}-{language}-{size}.png"), full_page=True)
            page.close()


@pytest.mark.browser
def test_a_steward_publishes_and_the_observatory_answers(
    transactional_db, live_server, year_of_flows
):
    from playwright.sync_api import sync_playwright

    illustrative_peers()
    user = make_user("hana-browser")
    year_of_flows.hana.user = user
    year_of_flows.hana.save()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        shoot(browser, f"{live_server.url}/observatory/", "observatory-illustrative")
        page = browser.new_page(locale="en")
        page.set_extra_http_headers({"Accept-Language": "en"})
        page.goto(f"{live_server.url}/observatory/")
        assert "illustrative" in page.locator(".obs-banner").inner_text()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", "hana-browser")
        page.fill("input[name=password]", "pw-" + "hana-browser" * 2)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/p/obs/observatory/?year=2025")
        assert page.locator("text=economics.market_costs").count() == 1
        page.screenshot(path=str(ARTIFACTS / "observatory-preview-en.png"), full_page=True)
        page.get_by_role("button", name="Publish 2025").click()
        page.wait_for_load_state()
        assert "The year 2025 is published." in page.content()
        # One real platform: the answer is the real set alone, and it is too small to show.
        page.goto(f"{live_server.url}/observatory/")
        assert page.locator(".obs-banner").count() == 0
        assert "Not enough platforms yet" in page.content()
        browser.close()


@pytest.mark.browser
def test_the_map_filters_and_lists_its_places(transactional_db, live_server):
    from playwright.sync_api import sync_playwright

    illustrative_peers()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        shoot(browser, f"{live_server.url}/observatory/map/?region=53", "observatory-map")
        page = browser.new_page(locale="en")
        page.set_extra_http_headers({"Accept-Language": "en"})
        page.goto(f"{live_server.url}/observatory/map/")
        page.select_option("#map-type", "fablab")
        page.select_option("#map-region", "53")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url("**type=fablab**")
        rows = page.locator("table.obs-places tbody tr")
        assert 0 < rows.count() < 88
        assert page.locator("svg.obs-map-svg circle.k-fablab").count() == rows.count()
        assert page.locator("svg.obs-map-svg circle.k-coworking").count() == 0
        browser.close()

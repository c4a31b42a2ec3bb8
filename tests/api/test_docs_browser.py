"""The interactive docs in headless Chromium: they render, and every request the page
makes goes to the app itself."""

from urllib.parse import urlsplit

import pytest

from tests.browser import ARTIFACTS, launch


@pytest.mark.browser
def test_the_docs_render_from_the_app_alone(live_server, transactional_db):
    from playwright.sync_api import sync_playwright

    app_host = urlsplit(live_server.url).netloc
    requested: list[str] = []
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{live_server.url}/api/docs")
        page.get_by_text("/api/platforms/{slug}/events/{event_id}/confirm").wait_for()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "api-docs.png", full_page=False)
        browser.close()
    assert requested
    outside = [
        url
        for url in requested
        if urlsplit(url).scheme in {"http", "https"} and urlsplit(url).netloc != app_host
    ]
    assert outside == []
    assert any(url.endswith("/api/openapi.json") for url in requested)

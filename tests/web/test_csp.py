"""A strict Content-Security-Policy: the app's own scripts, styles and images only, no
inline code, no framing. The pages keep working under it (checked in Chromium)."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import tribu

TEMPLATES = Path(tribu.__file__).parent
# Rendered to PDF by the server, never served as a page.
NOT_PAGES = {"invoice_pdf.html", "dossier.html", "receipt.html"}  # PDFs, not pages
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline script"),
    (re.compile(r"<style\b", re.I), "a style element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event handler attribute"),
    (re.compile(r"\shx-on", re.I), "an htmx inline handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_pages_carry_a_strict_policy(web_tribe):
    client = Client()
    for url in ("/", "/p/essai/", "/accounts/login/", "/api/docs"):
        rules = policy(client.get(url))
        assert rules["default-src"] == ["'self'"], url
        assert rules["script-src"] == ["'self'"], url
        assert rules["style-src"] == ["'self'"], url
        assert rules["object-src"] == ["'none'"], url
        assert rules["frame-ancestors"] == ["'none'"], url
        assert rules["base-uri"] == ["'self'"], url
        assert rules["form-action"] == ["'self'"], url
        assert not any("unsafe" in v or "*" in v for vs in rules.values() for v in vs), url


def test_no_template_holds_inline_code():
    found = []
    for template in TEMPLATES.glob("**/templates/**/*.html"):
        if template.name in NOT_PAGES:
            continue
        text = template.read_text(encoding="utf-8")
        text = re.sub(r"\{\{[^}]*json_script[^}]*\}\}", "", text)  # data, not code
        found += [
            f"{template.relative_to(TEMPLATES)}: {what}" for rx, what in INLINE if rx.search(text)
        ]
    assert found == []


def page_urls(resolver=None, prefix: str = "") -> list[str]:
    """Every page of the site reachable with no other argument than a platform's slug."""
    urls = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith(("admin", "api", "i18n")):
                urls += page_urls(pattern, route)
        elif isinstance(pattern, URLPattern):
            path = route.replace("<slug:slug>", "essai").replace("<str:slug>", "essai")
            if "<" not in path and "(" not in path and "^" not in path:
                urls.append("/" + path)
    return sorted(set(urls))


@pytest.mark.browser
def test_every_page_works_in_chromium_under_the_policy(live_server, transactional_db):
    from playwright.sync_api import sync_playwright

    from tests.browser import launch
    from tests.factories import make_tribe
    from tests.web.test_browser import log_in

    make_tribe("essai", users=True)
    password = "pw-" + "hana-essai" * 2  # tests.factories.make_user
    member = Client()
    assert member.login(username="hana-essai", password=password)
    pages = [u for u in page_urls() if _html(member.get(u))] + ["/api/docs"]
    assert len(pages) >= 15, pages
    problems = []
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        # A refused script or style is reported on the console; a script that then
        # fails raises a page error.
        page.on(
            "console",
            lambda m: (
                problems.append(f"{page.url}: {m.text}")
                if "Content Security Policy" in m.text or "Refused" in m.text
                else None
            ),
        )
        page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
        log_in(page, live_server.url, "hana-essai", password)
        for url in pages:
            response = page.goto(live_server.url + url)
            assert response.status < 500, url
            page.wait_for_load_state("networkidle")
        browser.close()
    assert problems == []


def _html(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")

"""End to end in headless Chromium, at 1280 and 390 px:

1. The documented example is imported; Alice claims her account from her link, logs in and
   records a flow; Bob claims his account and confirms it.
2. Founding: Nora signs up, starts a platform (in French, then another in English),
   invites Paul, opens it, declares the rent and sees its public page and a host balance
   sheet whose ratio is defined.

Screenshots of each step go to test-artifacts/founding/.
"""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image
from playwright.sync_api import sync_playwright

from tests.browser import ARTIFACTS as ALL_ARTIFACTS
from tests.browser import launch
from tribu.agents.models import Agent
from tribu.cli import main
from tribu.ledger.models import EventState, ResourceSpecification
from tribu.platforms.models import Invitation, Platform, PlatformStatus

ARTIFACTS = ALL_ARTIFACTS / "founding"
pytestmark = pytest.mark.browser
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture
def browser():
    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


def shot(page, name: str) -> None:
    """The page at both widths."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("1280", WIDE), ("390", NARROW)):
        page.set_viewport_size(size)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(WIDE)


def submit(page) -> None:
    page.locator("main form button[type=submit]:not([name=back])").last.click()
    page.wait_for_load_state()


def sign_up(page, base: str, username: str, next_path: str = "") -> None:
    page.goto(f"{base}/accounts/signup/" + (f"?next={next_path}" if next_path else ""))
    page.fill("input[name=email]", f"{username}@example.org")
    page.fill("input[name=username]", username)
    page.fill("input[name=password1]", f"un-long-mot-de-passe-{username}")
    page.fill("input[name=password2]", f"un-long-mot-de-passe-{username}")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/signup" not in url)


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", f"un-long-mot-de-passe-{username}")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def claim(page, base: str, link: str, username: str, name: str) -> None:
    """Open a claim link, create the account from it, come back and accept."""
    path = link.split("://", 1)[1].split("/", 1)[1]
    page.goto(f"{base}/{path}")
    shot(page, f"{name}-claim-link")
    sign_up(page, base, username, next_path=f"/{path}")
    page.wait_for_url(lambda url: "/invite/" in url)
    shot(page, f"{name}-claim-accept")
    submit(page)


def test_an_imported_platforms_people_claim_their_accounts_and_confirm_a_flow(
    browser, live_server, transactional_db, capsys, settings
):
    settings.SITE_ROOT = live_server.url
    assert main(["import", "docs/examples/platform.yaml"]) == 0
    capsys.readouterr()
    assert main(["invite", "--platform", "la-fabrique"]) == 0
    links = dict(
        (line.split("\t")[0], line.split("\t")[2])
        for line in capsys.readouterr().out.strip().splitlines()
    )
    base = live_server.url
    alice = browser.new_context(locale="fr-FR", viewport=WIDE).new_page()
    claim(alice, base, links["alice"], "alice", "import-1-alice")
    alice.wait_for_url(f"{base}/p/la-fabrique/")
    alice.context.clear_cookies()
    log_in(alice, base, "alice")
    shot(alice, "import-2-alice-logged-in")

    me = Agent.objects.get(platform__slug="la-fabrique", user__username="alice")
    bob_agent = Agent.objects.get(platform__slug="la-fabrique", slug="bob")
    alice.goto(f"{base}/p/la-fabrique/ledger/new/")
    day_pass = ResourceSpecification.objects.get(platform__slug="la-fabrique", slug="day-pass")
    alice.select_option("select[name=specification]", str(day_pass.pk))
    alice.select_option("select[name=provider]", str(me.pk))
    alice.select_option("select[name=receiver]", str(bob_agent.pk))
    alice.fill("input[name=quantity]", "3")
    alice.fill("input[name=occurred]", (timezone.localdate() - timedelta(days=2)).isoformat())
    alice.fill("textarea[name=note]", "Trois journées de coworking prêtées à Bob")
    shot(alice, "import-3-alice-records")
    submit(alice)
    alice.wait_for_url(f"{base}/p/la-fabrique/ledger/")

    bob = browser.new_context(locale="fr-FR", viewport=WIDE).new_page()
    claim(bob, base, links["bob"], "bob", "import-4-bob")
    bob.goto(f"{base}/p/la-fabrique/ledger/")
    row = bob.locator("tr", has_text="Trois journées")
    row.get_by_role("button", name="Confirmer").click()
    bob.locator("tr", has_text="Trois journées").locator(".status.confirmed").wait_for()
    shot(bob, "import-5-bob-confirmed")
    event = EventState.objects.get(event__note="Trois journées de coworking prêtées à Bob")
    assert event.counted


def start_platform(page, base: str, fields: dict) -> None:
    """The guided form, step by step, with a screenshot of each."""
    prefix = fields["shots"]
    page.goto(f"{base}/")
    shot(page, f"{prefix}-home")
    page.locator("main a[href='/start/']").click()
    for step, values in enumerate(fields["steps"]):
        for name, value in values.items():
            if name == "carrier_profile":
                page.check(f"input[name=carrier_profile][value={value}]")
            elif name == "cause_category":
                page.select_option("select[name=cause_category]", value)
            elif name == "manifesto":
                page.fill("textarea[name=manifesto]", value)
            else:
                page.fill(f"input[name={name}]", value)
        shot(page, f"{prefix}-step-{step + 1}")
        submit(page)
    shot(page, f"{prefix}-step-4-review")
    submit(page)
    page.wait_for_url(lambda url: url.endswith("/settings/"))


def founding_fields(name: str, cause: str, shots: str) -> dict:
    opening = (timezone.localdate() + timedelta(days=30)).isoformat()
    return {
        "shots": shots,
        "steps": [
            {
                "name": name,
                "cause_title": cause,
                "cause_category": "food_agriculture",
                "manifesto": "Un lieu pour celles et ceux qui nourrissent la ville autrement.",
            },
            {"carrier_profile": "activist_association", "host_name": "Les Amis du Potager"},
            {
                "address": "3 rue du Sentier, 75002 Paris",
                "surface_m2": "200",
                "capacity": "30",
                "monthly_rent": "4000",
                "monthly_charges": "600",
                "opening_date": opening,
            },
        ],
    }


def png() -> bytes:
    out = BytesIO()
    image = Image.new("RGB", (2400, 1600), (214, 160, 80))
    for x in range(0, 2400, 200):
        image.paste((60, 110, 70), (x, 900, x + 120, 1600))
    image.save(out, "PNG")
    return out.getvalue()


def test_founding_a_platform_from_sign_up_to_a_defined_ratio(
    browser, live_server, transactional_db, settings, tmp_path
):
    settings.SITE_ROOT = live_server.url
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    nora = browser.new_context(locale="fr-FR", viewport=WIDE).new_page()
    nora.goto(f"{base}/")
    shot(nora, "found-0-home-fr")
    sign_up(nora, base, "nora")
    start_platform(nora, base, founding_fields("Le Potager", "Nourrir la ville", "found-1-fr"))
    shot(nora, "found-2-settings-draft")
    platform = Platform.objects.get(name="Le Potager")
    assert platform.status == PlatformStatus.DRAFT

    nora.get_by_role("button", name="EN", exact=True).click()
    nora.wait_for_load_state()
    start_platform(nora, base, founding_fields("The Orchard", "Feeding the city", "found-3-en"))
    assert Platform.objects.get(name="The Orchard").status == PlatformStatus.DRAFT
    nora.get_by_role("button", name="FR", exact=True).click()
    nora.wait_for_load_state()

    slug = platform.slug
    nora.goto(f"{base}/p/{slug}/invitations/")
    nora.fill("input[name=one-email]", "paul@example.org")
    nora.select_option("select[name=one-role]", "resident")
    nora.locator("form", has=nora.locator("input[name=one-email]")).locator("button").click()
    nora.wait_for_load_state()
    shot(nora, "found-4-invited")
    link = Invitation.objects.get(email="paul@example.org").get_absolute_url()
    assert link in mail.outbox[-1].body
    paul = browser.new_context(locale="fr-FR", viewport=WIDE).new_page()
    claim(paul, base, f"{base}{link}", "paul", "found-5-paul")
    assert Agent.objects.filter(platform=platform, user__username="paul").exists()

    nora.goto(f"{base}/p/{slug}/photo/")
    nora.set_input_files(
        "input[name=photo]", {"name": "lieu.png", "mimeType": "image/png", "buffer": png()}
    )
    submit(nora)
    nora.goto(f"{base}/p/{slug}/settings/")
    nora.get_by_role("button", name="Ouvrir la plateforme").click()
    nora.wait_for_load_state()
    shot(nora, "found-6-opened")

    start = (timezone.localdate().replace(day=1) - timedelta(days=80)).replace(day=1)
    nora.goto(f"{base}/p/{slug}/costs/")
    nora.fill("input[name=outsider_name]", "SCI du Sentier")
    nora.fill("input[name=amount]", "4000")
    nora.fill("input[name=occurred]", start.isoformat())
    nora.check("input[name=monthly]")
    nora.fill("input[name=evidence]", "Bail commercial signé, réf. 2026-117")
    shot(nora, "found-7-declare-rent")
    submit(nora)
    assert nora.locator(".badge.status.declared").count() >= 3
    shot(nora, "found-8-declared")

    visitor = browser.new_context(locale="fr-FR", viewport=WIDE).new_page()
    visitor.goto(f"{base}/")
    assert visitor.get_by_role("link", name="Le Potager").is_visible()
    assert visitor.get_by_text("The Orchard").count() == 0
    visitor.goto(f"{base}/p/{slug}/")
    assert (
        visitor.locator("meta[property='og:image']")
        .get_attribute("content")
        .endswith(f"/p/{slug}/photo.jpg")
    )
    shot(visitor, "found-9-public-page")

    nora.goto(f"{base}/p/{slug}/balance/")
    ratio = nora.locator("#extended-ratio").inner_text()
    assert ratio != "—"
    shot(nora, "found-10-host-balance")
    nora.get_by_role("button", name="EN", exact=True).click()
    nora.wait_for_load_state()
    shot(nora, "found-11-host-balance-en")

"""End to end in Chromium: a host employee books a room for a colleague passing through
for three nights; once the job has run, the host's hotel-nights line has grown."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser import ARTIFACTS, launch
from tests.factories import make_tribe
from tribu.spaces.services import book, bookings_to_ledger

from .helpers import PARIS, rooms


def hotel_night_explanation(page) -> str:
    row = page.locator("tr", has=page.locator("a[href*='/balance/hotel-night/']")).first
    return row.locator("td.explain").inner_text()


@pytest.mark.browser
def test_a_host_employee_books_a_room_for_a_colleague_and_the_host_balance_grows(
    transactional_db, live_server, monkeypatch
):
    from playwright.sync_api import sync_playwright

    tribe = make_tribe("navigateur", users=True)
    room, _salle, _agora = rooms(tribe)
    today = timezone.localdate(timezone=PARIS)
    earlier = timezone.make_aware(
        timezone.datetime.combine(today - timedelta(days=30), timezone.datetime.min.time()), PARIS
    ) + timedelta(hours=17)
    book(
        tribe.platform,
        tribe.hana,
        room,
        earlier,
        earlier + timedelta(days=2),
        beneficiary=tribe.host,
        note="Minh",
    )
    bookings_to_ledger()
    arrival = today - timedelta(days=14)
    period = f"?agent=hote&start={today - timedelta(days=60)}&end={today + timedelta(days=1)}"
    balance_url = f"{live_server.url}/p/navigateur/balance/{period}"
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(locale="fr-FR")
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", "hana-navigateur")
        page.fill("input[name=password]", "pw-" + "hana-navigateur" * 2)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()

        page.goto(balance_url)
        assert hotel_night_explanation(page).startswith("2\u00a0nuits")

        page.goto(f"{live_server.url}/p/navigateur/space/?week={arrival}")
        page.get_by_role("link", name=f"Réserver Chambre 1 le {arrival}").click()
        form = page.locator("#booking-panel form")
        form.wait_for()
        page.fill("#id_start", f"{arrival}T17:00")
        page.fill("#id_end", f"{arrival + timedelta(days=3)}T10:00")
        page.select_option("#id_beneficiary", "hote")
        page.fill("#id_note", "Paul Martin (Lyon)")
        page.screenshot(path=str(ARTIFACTS / "spaces-booking-form.png"), full_page=True)
        form.get_by_role("button", name="Réserver").click()
        page.wait_for_url("**/space/bookings/")
        assert "Paul Martin (Lyon)" in page.content()
        page.screenshot(path=str(ARTIFACTS / "spaces-my-bookings.png"), full_page=True)

        assert bookings_to_ledger() == 1  # the scheduled job
        page.goto(balance_url)
        assert hotel_night_explanation(page).startswith("5\u00a0nuits")
        page.screenshot(path=str(ARTIFACTS / "spaces-balance.png"), full_page=True)
        # The line's flows, then the new one: it names the colleague and links its booking.
        page.locator("a[href*='/balance/hotel-night/']").first.click()
        page.locator("tr", has_text="3\u00a0nuits").locator("a").first.click()
        page.wait_for_load_state()
        detail = page.content()
        assert "Paul Martin (Lyon)" in detail and "booking:" in detail
        assert (
            f"/p/navigateur/space/r/chambre-1/?week={arrival - timedelta(arrival.weekday())}"
            in detail
        )
        browser.close()

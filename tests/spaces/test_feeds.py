"""iCalendar feeds parse back; a member's bookings are private to their token."""

from icalendar import Calendar

from tests.factories import make_tribe
from tribu.spaces.services import book, create_gathering, feed_token, regenerate_feed_token

from .helpers import at, future, rooms


def test_the_public_gatherings_feed_parses_back(client, tribe):
    _room, _salle, agora = rooms(tribe)
    start = future(3, 18)
    create_gathering(
        tribe.platform,
        tribe.alice,
        kind="talk",
        title="Talk: l'eau",
        resource=agora,
        start=start,
        end=start.replace(hour=20),
    )
    create_gathering(
        tribe.platform,
        tribe.bob,
        kind="workshop",
        title="Privé",
        resource=agora,
        start=future(4, 9),
        end=future(4, 11),
        is_public=False,
    )
    response = client.get(f"/p/{tribe.platform.slug}/gatherings.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Talk: l'eau"]
    assert events[0].decoded("DTSTART") == start


def test_a_member_bookings_feed_parses_back_at_its_token_only(client, tribe):
    room, _salle, _agora = rooms(tribe)
    book(
        tribe.platform, tribe.alice, room, at("2026-03-10", 16), at("2026-03-12", 10), note="Séjour"
    )
    book(tribe.platform, tribe.bob, room, at("2026-03-12", 16), at("2026-03-13", 10))
    token = feed_token(tribe.alice).token
    url = f"/p/{tribe.platform.slug}/space/bookings/{token}.ics"
    events = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert len(events) == 1 and "Chambre 1" in str(events[0]["SUMMARY"])
    assert client.get(f"/p/{tribe.platform.slug}/space/bookings/{'x' * 43}.ics").status_code == 404
    other = make_tribe("ailleurs")
    assert client.get(f"/p/{other.platform.slug}/space/bookings/{token}.ics").status_code == 404
    regenerate_feed_token(tribe.alice)
    assert client.get(url).status_code == 404


def test_a_former_members_private_feed_stops_working(client, tribe):
    from tribu.platforms.models import Role
    from tribu.platforms.services import set_role

    room, _salle, _agora = rooms(tribe)
    book(tribe.platform, tribe.alice, room, at("2026-03-10", 16), at("2026-03-12", 10))
    url = f"/p/{tribe.platform.slug}/space/bookings/{feed_token(tribe.alice).token}.ics"
    assert client.get(url).status_code == 200
    set_role(tribe.alice, Role.ALUMNI, by=tribe.hana, reason="left")
    assert client.get(url).status_code == 404


def test_calendars_say_they_are_utf8(client, tribe):
    room, _salle, _agora = rooms(tribe)
    book(tribe.platform, tribe.alice, room, at("2026-03-10", 16), at("2026-03-12", 10))
    mine = f"/p/{tribe.platform.slug}/space/bookings/{feed_token(tribe.alice).token}.ics"
    for url in (mine, f"/p/{tribe.platform.slug}/gatherings.ics"):
        assert client.get(url)["Content-Type"] == "text/calendar; charset=utf-8", url

"""The space's pages in French and English, and who may see what."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_tribe, make_user
from tribu.spaces.models import Booking
from tribu.spaces.services import book, create_gathering, feed_token

from .helpers import at, future, rooms


@pytest.fixture
def people(db):
    tribe = make_tribe("pages", users=True)
    return tribe, rooms(tribe)


def login(agent) -> Client:
    client = Client()
    client.force_login(agent.user)
    return client


@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Mes réservations"), ("en", "My bookings")]
)
def test_my_bookings_page_speaks_both_languages(people, language, heading):
    tribe, (room, _salle, _agora) = people
    book(tribe.platform, tribe.alice, room, at("2026-03-10", 16), at("2026-03-12", 10))
    client = login(tribe.alice)
    response = client.get(
        reverse("spaces-my-bookings", args=["pages"]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    assert heading in response.content.decode()
    assert "Chambre 1" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Le lieu cette semaine"), ("en", "The place this week")]
)
def test_the_week_calendar_shows_bookings_in_both_languages(people, language, heading):
    tribe, (room, _salle, _agora) = people
    book(tribe.platform, tribe.alice, room, at("2026-03-10", 16), at("2026-03-12", 10))
    client = login(tribe.bob)
    response = client.get(
        reverse("spaces-calendar", args=["pages"]) + "?week=2026-03-10",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    page = response.content.decode()
    assert heading in page
    assert "16:00" in page and "Alice" in page


def test_anonymous_visitors_see_the_calendar_without_names(people, client):
    tribe, (room, _salle, _agora) = people
    book(tribe.platform, tribe.alice, room, at("2026-03-10", 16), at("2026-03-12", 10))
    page = client.get(reverse("spaces-calendar", args=["pages"]) + "?week=2026-03-09")
    assert "16:00" in page.content.decode() and "Alice" not in page.content.decode()


def test_the_booking_form_names_the_existing_booking_on_overlap(people):
    tribe, (room, _salle, _agora) = people
    book(tribe.platform, tribe.alice, room, at("2026-03-10", 16), at("2026-03-12", 10))
    response = login(tribe.bob).post(
        reverse("spaces-book", args=["pages"]),
        {
            "resource": room.slug,
            "start": "2026-03-11T14:00",
            "end": "2026-03-13T10:00",
            "beneficiary": "bob",
            "note": "",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "already booked from 2026-03-10 16:00 to 2026-03-12 10:00" in response.content.decode()
    assert Booking.objects.filter(resource=room).count() == 1


def test_host_staff_book_for_the_host_through_the_form(people):
    tribe, (room, _salle, _agora) = people
    response = login(tribe.hana).post(
        reverse("spaces-book", args=["pages"]),
        {
            "resource": room.slug,
            "start": "2026-03-10T16:00",
            "end": "2026-03-13T10:00",
            "beneficiary": "hote",
            "note": "Paul Martin",
        },
    )
    assert response.status_code == 302
    assert Booking.objects.get(resource=room).beneficiary == tribe.host


def test_members_of_another_platform_and_anonymous_cannot_see_or_cancel_a_booking(people):
    tribe, (room, _salle, _agora) = people
    booking = book(tribe.platform, tribe.alice, room, at("2026-03-10", 16), at("2026-03-12", 10))
    cancel = reverse("spaces-booking-cancel", args=["pages", booking.pk])
    other = make_tribe("autre", users=True)
    assert login(other.alice).post(cancel).status_code == 403  # not a member of "pages"
    assert Client().post(cancel).status_code == 302  # to the login page
    assert login(tribe.bob).post(cancel).status_code == 404  # not his booking
    mine = login(other.alice).get(reverse("spaces-my-bookings", args=["pages"]))
    assert mine.status_code == 403
    booking.refresh_from_db()
    assert booking.is_active
    feed = reverse("spaces-bookings-ics", args=["pages", feed_token(tribe.alice).token])
    assert (
        login(tribe.bob).get(feed.replace(feed_token(tribe.alice).token, "guess" * 9)).status_code
        == 404
    )


def test_register_and_check_in_through_the_pages(people):
    tribe, (_room, _salle, agora) = people
    start = future(5, 18)
    gathering = create_gathering(
        tribe.platform,
        tribe.fanny,
        kind="apero",
        title="Apéro",
        resource=agora,
        start=start,
        end=start.replace(hour=21),
    )
    url = reverse("spaces-gathering-register", args=["pages", gathering.pk])
    assert login(tribe.bob).post(url).status_code == 302
    seat = gathering.registrations.get()
    login(tribe.fanny).post(reverse("spaces-check-in", args=["pages", seat.pk]))
    seat.refresh_from_db()
    assert seat.checked_in_at is not None
    page = (
        login(tribe.fanny)
        .get(reverse("spaces-gathering", args=["pages", gathering.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Attendance" in page and "Bob" in page


def test_invoices_are_for_stewards_and_host_staff(people):
    tribe, (_room, _salle, agora) = people
    gathering = create_gathering(
        tribe.platform,
        tribe.hana,
        kind="learning_expedition",
        title="Visite",
        resource=agora,
        start=at("2026-03-10", 9),
        end=at("2026-03-10", 12),
        client=tribe.landlord,
        price=900,
    )
    pdf = reverse("spaces-invoice-pdf", args=["pages", gathering.invoice.pk])
    response = login(tribe.hana).get(pdf)
    assert response["Content-Type"] == "application/pdf"
    assert login(tribe.bob).get(pdf).status_code == 404
    listing = (
        login(tribe.hana)
        .get(reverse("spaces-invoices", args=["pages"]), HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    assert "PAGES-00001" in listing and "Marquer payée" in listing


def test_a_resident_sees_their_own_time_balance_only(people):
    from datetime import date

    from tribu.spaces.services import create_agreement

    tribe, _resources = people
    create_agreement(
        tribe.platform,
        tribe.fanny,
        tribe.alice,
        start=date(2026, 1, 1),
        end=date(2026, 9, 1),
        days_owed_per_month=5,
    )
    own = login(tribe.alice).get(
        reverse("spaces-residency", args=["pages", "alice"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert own.status_code == 200 and "Residency of Alice" in own.content.decode()
    assert (
        login(tribe.bob).get(reverse("spaces-residency", args=["pages", "alice"])).status_code
        == 403
    )
    listing = login(tribe.fanny).get(reverse("spaces-residency-list", args=["pages"]))
    assert "Alice" in listing.content.decode()


def test_an_outsider_without_login_is_sent_to_log_in(people, client):
    make_user("nobody")
    response = client.get(reverse("spaces-my-bookings", args=["pages"]))
    assert response.status_code == 302 and "login" in response["Location"]

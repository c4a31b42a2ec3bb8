"""The community's page actions through the API: one's own agent and profile, projects,
notifications. Each calls the service its page calls."""

from tribu.community import services
from tribu.community.models import Notification, NotificationPreference, Project

from .actions import browser, call, message


def test_me_is_the_callers_own_agent(world):
    mine = call(world, "alice-essai", "get", "/platforms/essai/me")
    assert mine.status_code == 200
    assert mine.json() == {
        "slug": "alice",
        "name": "Alice",
        "bio": "",
        "is_public": world.essai.alice.is_public,
        "role": "resident",
    }
    # The page sends the same person to the same profile.
    page = browser(world.essai.alice).get("/p/essai/members/me/")
    assert page.url == f"/p/essai/members/{mine.json()['slug']}/"


def test_me_is_not_found_elsewhere(world):
    assert call(world, "alice-autre", "get", "/platforms/essai/me").status_code == 404
    nobody_there = call(world, "alice-essai", "get", "/platforms/autre/me")
    assert nobody_there.status_code == 404
    assert "no agent" in message(nobody_there)


def test_editing_ones_profile_does_what_the_page_does(world):
    body = {"name": "Alice B.", "bio": "Gardens and grants", "is_public": True}
    answer = call(world, "alice-autre", "put", "/platforms/autre/me", body)
    assert answer.status_code == 200, answer.content
    assert answer.json() == {**body, "slug": "alice", "role": "resident"}
    page = browser(world.essai.alice).post("/p/essai/members/me/edit/", {**body, "is_public": "on"})
    assert page.status_code == 302
    world.essai.alice.refresh_from_db()
    world.autre.alice.refresh_from_db()
    mine = {f: getattr(world.essai.alice, f) for f in ("name", "bio", "is_public")}
    assert mine == {f: getattr(world.autre.alice, f) for f in ("name", "bio", "is_public")}


def test_a_profile_is_edited_by_members_of_that_platform_only(world):
    body = {"name": "Intruder"}
    assert call(world, "alice-essai", "put", "/platforms/autre/me", body).status_code == 403
    assert call(world, "alice-autre", "put", "/platforms/essai/me", body).status_code == 404
    world.essai.alice.refresh_from_db()
    assert world.essai.alice.name == "Alice"


def test_a_profile_needs_a_name(world):
    missing = call(world, "alice-essai", "put", "/platforms/essai/me", {"bio": "x"})
    assert missing.status_code == 422 and "name" in message(missing)
    blank = call(world, "alice-essai", "put", "/platforms/essai/me", {"name": "  "})
    assert blank.status_code == 400 and "name" in message(blank)
    too_long = call(world, "alice-essai", "put", "/platforms/essai/me", {"name": "x" * 201})
    assert too_long.status_code == 422 and "name" in message(too_long)
    world.essai.alice.refresh_from_db()
    assert world.essai.alice.name == "Alice"


PROJECT = {
    "title": "Repair café",
    "description": "Every first Saturday",
    "skills": "soldering, sewing",
    "themes": "reuse",
    "needs": "A table",
    "visibility": "public",
}


def test_a_project_created_and_edited_as_on_the_page(world):
    made = call(world, "alice-autre", "post", "/platforms/autre/projects", PROJECT)
    assert made.status_code == 201, made.content
    assert made.json() == {**PROJECT, "id": made.json()["id"], "owner": "alice"}
    page = browser(world.essai.alice).post("/p/essai/projects/new/", PROJECT)
    assert page.status_code == 302
    by_page = Project.objects.get(platform=world.essai.platform)
    by_api = Project.objects.get(pk=made.json()["id"])
    assert {f: getattr(by_page, f) for f in PROJECT} == {f: getattr(by_api, f) for f in PROJECT}
    assert by_page.owner.slug == by_api.owner.slug

    edited = call(
        world,
        "alice-autre",
        "put",
        f"/platforms/autre/projects/{by_api.pk}",
        {**PROJECT, "title": "Repair café (monthly)", "visibility": "members"},
    )
    assert edited.status_code == 200
    by_api.refresh_from_db()
    assert (by_api.title, by_api.visibility) == ("Repair café (monthly)", "members")


def test_only_its_owner_edits_a_project_and_only_in_its_platform(world):
    project = services.save_project(world.essai.alice, PROJECT)
    path = f"/platforms/essai/projects/{project.pk}"
    refused = call(world, "bob-essai", "put", path, {**PROJECT, "title": "Mine now"})
    assert refused.status_code == 403
    # autre's alice names essai's project through her own platform: it is not there.
    elsewhere = call(
        world, "alice-autre", "put", f"/platforms/autre/projects/{project.pk}", PROJECT
    )
    assert elsewhere.status_code == 404
    assert (
        call(world, "hana-autre", "post", "/platforms/essai/projects", PROJECT).status_code == 404
    )
    assert (
        call(world, "hana-essai", "post", "/platforms/autre/projects", PROJECT).status_code == 403
    )
    project.refresh_from_db()
    assert project.title == "Repair café"


def test_a_project_needs_a_title_and_a_known_visibility(world):
    odd = call(
        world, "alice-essai", "post", "/platforms/essai/projects", {**PROJECT, "visibility": "all"}
    )
    assert odd.status_code == 422 and "visibility" in message(odd)
    blank = call(
        world, "alice-essai", "post", "/platforms/essai/projects", {**PROJECT, "title": " "}
    )
    assert blank.status_code == 400 and "title" in message(blank)
    assert not Project.objects.exists()


def _notified(agent, text="Bob vouched for you"):
    return services.notify([agent], "joining", text)[0]


def test_notifications_listed_marked_read_and_delivered_as_on_the_page(world):
    first, second = _notified(world.autre.alice), _notified(world.autre.alice, "Second")
    listed = call(world, "alice-autre", "get", "/platforms/autre/notifications").json()
    assert [n["id"] for n in listed] == [second.pk, first.pk]
    assert listed[0]["text"] == "Second" and listed[0]["read_at"] is None
    one = call(
        world,
        "alice-autre",
        "post",
        "/platforms/autre/notifications/read",
        {"notification": first.pk},
    )
    assert one.json() == {"marked": 1}
    rest = call(world, "alice-autre", "post", "/platforms/autre/notifications/read")
    assert rest.json() == {"marked": 1}
    weekly = call(
        world,
        "alice-autre",
        "put",
        "/platforms/autre/notifications/preference",
        {"delivery": "weekly"},
    )
    assert weekly.json() == {"delivery": "weekly"}

    _notified(world.essai.alice)
    page = browser(world.essai.alice)
    assert page.post("/p/essai/notifications/", {"delivery": "weekly"}).status_code == 302
    assert page.post("/p/essai/notifications/").status_code == 302
    for agent in (world.essai.alice, world.autre.alice):
        assert not Notification.objects.filter(recipient=agent, read_at__isnull=True).exists()
        assert NotificationPreference.objects.get(agent=agent).delivery == "weekly"


def test_notifications_are_ones_own_in_ones_own_platform(world):
    note = _notified(world.essai.alice)
    assert call(world, "bob-essai", "get", "/platforms/essai/notifications").json() == []
    assert call(
        world, "bob-essai", "post", "/platforms/essai/notifications/read", {"notification": note.pk}
    ).json() == {"marked": 0}
    assert (
        call(world, "alice-essai", "post", "/platforms/autre/notifications/read").status_code == 403
    )
    assert call(world, "alice-autre", "get", "/platforms/essai/notifications").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_a_delivery_is_one_of_the_choices(world):
    odd = call(
        world,
        "alice-essai",
        "put",
        "/platforms/essai/notifications/preference",
        {"delivery": "daily"},
    )
    assert odd.status_code == 422 and "delivery" in message(odd)
    assert not NotificationPreference.objects.filter(delivery="daily").exists()

"""The access matrix of community objects: owner, other member, member of another
platform and anonymous visitor, reading and writing. Outsiders never see a byte."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_tribe, make_user
from tribu.community import services
from tribu.community.models import CharterComment, Concern, Intent, Match, Project, Vouch

SECRET = "zebra-secret-7"


@pytest.fixture
def world(db):
    home, other = make_tribe("essai", users=True), make_tribe("autre", users=True)
    application = services.apply(
        home.platform, make_user("nina"), name="Nina", statement=f"Statement {SECRET}"
    )
    services.raise_concern(application, home.bob, f"Concern {SECRET}")
    need = services.post_intent(home.alice, kind="need", title=f"Need {SECRET}", tags="python")
    services.post_intent(home.bob, kind="offer", title="Python help", tags="python")
    project = services.save_project(
        home.alice, {"title": f"Project {SECRET}", "visibility": "members"}
    )
    public = services.save_project(home.alice, {"title": "Open project", "visibility": "public"})
    services.start_charter(home.platform, "Rule one", home.fanny)
    proposal = services.propose_change(home.alice, f"Rule {SECRET}", "why")
    return {
        "home": home,
        "other": other,
        "application": application,
        "need": need,
        "match": Match.objects.get(need=need),
        "project": project,
        "public": public,
        "proposal": proposal,
    }


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def actors(world):
    home, other = world["home"], world["other"]
    return {
        "owner": home.alice.user,
        "member": home.bob.user,
        "outsider": other.alice.user,
        "anonymous": None,
    }


def pages(world):
    slug = "essai"
    return {
        "application": reverse("community-application", args=[slug, world["application"].pk]),
        "applications": reverse("community-applications", args=[slug]),
        "intents": reverse("community-intents", args=[slug]),
        "intent": reverse("community-intent", args=[slug, world["need"].pk]),
        "project": reverse("community-project", args=[slug, world["project"].pk]),
        "members": reverse("community-members", args=[slug]),
        "proposal": reverse("community-charter-proposal", args=[slug, world["proposal"].pk]),
        "charter": reverse("community-charter", args=[slug]),
        "notifications": reverse("community-notifications", args=[slug]),
    }


@pytest.mark.parametrize("who", ["owner", "member", "outsider", "anonymous"])
def test_members_only_pages_leak_nothing_to_outsiders(world, who):
    client = client_for(actors(world)[who])
    for name, url in pages(world).items():
        response = client.get(url)
        body = response.content.decode()
        if who in ("owner", "member"):
            assert response.status_code == 200, name
        else:
            assert SECRET not in body, name
            if name not in ("members", "charter"):
                assert response.status_code in (302, 403, 404), name


def test_members_see_the_members_only_project_and_concerns(world):
    body = client_for(world["home"].bob.user).get(pages(world)["application"]).content.decode()
    assert f"Concern {SECRET}" in body
    members = client_for(world["home"].bob.user).get(pages(world)["members"]).content.decode()
    assert f"Project {SECRET}" in members


def test_a_public_project_is_visible_to_anyone(world):
    url = reverse("community-project", args=["essai", world["public"].pk])
    assert client_for().get(url).status_code == 200


def test_the_dashboard_is_for_the_facilitator_and_host_only(world):
    url = reverse("community-dashboard", args=["essai"])
    home = world["home"]
    assert client_for(home.fanny.user).get(url).status_code == 200
    assert client_for(home.hana.user).get(url).status_code == 200
    assert client_for(home.alice.user).get(url).status_code == 403
    assert client_for(world["other"].fanny.user).get(url).status_code == 403
    assert client_for().get(url).status_code == 302


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_outsiders_cannot_write(world, who):
    client = client_for(actors(world)[who])
    slug, counts = (
        "essai",
        lambda: (
            Vouch.objects.count(),
            Concern.objects.count(),
            Intent.objects.count(),
            CharterComment.objects.count(),
            Project.objects.count(),
        ),
    )
    before = counts()
    posts = [
        (reverse("community-vouch", args=[slug, world["application"].pk]), {"note": "x"}),
        (reverse("community-concern", args=[slug, world["application"].pk]), {"text": "x"}),
        (reverse("community-intents", args=[slug]), {"kind": "need", "title": "x"}),
        (reverse("community-match-helped", args=[slug, world["match"].pk]), {"hours": "1"}),
        (reverse("community-charter-comment", args=[slug, world["proposal"].pk]), {"text": "x"}),
        (reverse("community-project-edit", args=[slug, world["project"].pk]), {"title": "x"}),
        (reverse("community-introduce", args=[slug]), {"first": "alice", "second": "bob"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code in (302, 403, 404), url
    assert counts() == before
    world["match"].refresh_from_db()
    assert world["match"].event_id is None


def test_another_member_cannot_edit_or_act_for_the_owner(world):
    home, slug = world["home"], "essai"
    bob = client_for(home.bob.user)
    url = reverse("community-project-edit", args=[slug, world["project"].pk])
    assert bob.post(url, {"title": "hijacked", "visibility": "public"}).status_code == 403
    url = reverse("community-intent-withdraw", args=[slug, world["need"].pk])
    bob.post(url)
    world["need"].refresh_from_db()
    assert world["need"].status == "open"
    world["project"].refresh_from_db()
    assert world["project"].title.startswith("Project")


def test_a_newcomer_cannot_vouch_through_the_page(world):
    other = services.apply(world["home"].platform, make_user("omar"), name="Omar", statement="x")
    nina = world["application"].agent.user
    url = reverse("community-vouch", args=["essai", other.pk])
    # On trial, Nina does not even see Omar's application.
    assert client_for(nina).post(url, {"note": "me"}).status_code == 404
    assert not Vouch.objects.filter(application=other).exists()


def test_every_page_renders_for_its_audience(world):
    fanny = client_for(world["home"].fanny.user)
    for url in [
        *pages(world).values(),
        reverse("community-dashboard", args=["essai"]),
        reverse("community-member", args=["essai", "alice"]),
        reverse("community-project-new", args=["essai"]),
    ]:
        assert fanny.get(url).status_code == 200, url
    newcomer = client_for(make_user("zed"))
    assert newcomer.get(reverse("community-join", args=["essai"])).status_code == 200


def test_a_non_member_cannot_see_a_members_only_profile(world):
    home = world["home"]
    url = reverse("community-member", args=["essai", "alice"])
    assert client_for(home.bob.user).get(url).status_code == 200
    assert client_for(world["other"].alice.user).get(url).status_code == 404
    assert client_for().get(url).status_code == 404
    home.alice.is_public = True
    home.alice.save()
    body = client_for().get(url).content.decode()
    assert "Open project" in body and SECRET not in body


# --- applicants and members on trial (issue 9, item 1) ------------------------------------

ON_TRIAL_OPEN = {"intents", "intent", "charter", "proposal", "notifications", "applications"}


def test_on_trial_one_sees_needs_offers_the_charter_and_ones_own_application(world):
    from tribu.platforms.models import Role
    from tribu.platforms.services import add_agent

    home, nina = world["home"], world["application"].agent.user
    tom = make_user("tom")
    add_agent(home.platform, slug="tom", name="Tom", role=Role.NEWCOMER, user=tom)
    urls = pages(world)
    assert client_for(nina).get(urls["application"]).status_code == 200  # her own
    client = client_for(tom)
    for name, url in urls.items():
        response = client.get(url)
        if name in ON_TRIAL_OPEN | {"members"}:
            assert response.status_code == 200, name
        else:
            assert response.status_code in (403, 404), name
    for name in ("applications", "members"):
        body = client.get(urls[name]).content.decode()
        assert f"Statement {SECRET}" not in body and f"Project {SECRET}" not in body, name


def test_on_trial_one_does_not_take_part_in_the_charters_debate(world):
    from tribu.core.errors import PermissionDenied

    nina = world["application"].agent
    with pytest.raises(PermissionDenied):
        services.comment(world["proposal"], nina, "I object", objection=True)
    url = reverse("community-charter-comment", args=["essai", world["proposal"].pk])
    assert client_for(nina.user).post(url, {"text": "no"}).status_code == 403
    assert not CharterComment.objects.filter(author=nina).exists()

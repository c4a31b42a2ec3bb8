"""The founding pages' remaining actions through the API: adding a member on the members
page, the photo of the place, and one's own API tokens. Each calls the service its page
calls."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.factories import make_user
from tribu.api.models import ApiToken
from tribu.platforms.models import Membership, Platform, SettingChange

from .actions import browser, call, message


def test_a_steward_adds_someone_who_signed_up_as_on_the_page(world):
    make_user("nina")  # nina@example.org
    added = call(
        world,
        "fanny-autre",
        "post",
        "/platforms/autre/members",
        {"user": "NINA@example.org", "role": "resident", "name": "Nina R."},
    )
    assert added.status_code == 201, added.content
    page = browser(world.essai.fanny).post(
        "/p/essai/roles/", {"user": "nina", "role": "resident", "name": "Nina R."}
    )
    assert page.status_code == 302
    by_page = Membership.objects.select_related("agent").get(
        platform=world.essai.platform, agent__user__username="nina"
    )
    assert added.json() == {"agent": by_page.agent.slug, "name": "Nina R.", "role": by_page.role}


def test_members_are_added_by_the_platforms_stewards_once(world):
    make_user("nina")
    body = {"user": "nina", "role": "resident"}
    assert call(world, "carl-essai", "post", "/platforms/essai/members", body).status_code == 403
    assert call(world, "fanny-autre", "post", "/platforms/essai/members", body).status_code == 404
    assert call(world, "fanny-essai", "post", "/platforms/autre/members", body).status_code == 403
    assert not Membership.objects.filter(agent__user__username="nina").exists()
    assert call(world, "fanny-essai", "post", "/platforms/essai/members", body).status_code == 201
    again = call(world, "fanny-essai", "post", "/platforms/essai/members", body)
    assert again.status_code == 409 and "already a member" in message(again)


def test_a_member_is_someone_signed_up_given_a_role_a_steward_may_give(world):
    make_user("nina")
    host = call(
        world, "hana-essai", "post", "/platforms/essai/members", {"user": "nina", "role": "host"}
    )
    assert host.status_code == 422 and "role" in message(host)
    nobody = call(world, "hana-essai", "post", "/platforms/essai/members", {"user": "ghost"})
    assert nobody.status_code == 404 and "user" in message(nobody)
    assert not Membership.objects.filter(agent__user__username="nina").exists()


def picture(width=2400, height=1200) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def upload(world, who: str, slug: str, data: bytes | None):
    files = {} if data is None else {"photo": SimpleUploadedFile("lieu.png", data)}
    client = world.client(who)
    return client.post(f"/api/platforms/{slug}/photo", files, headers={"accept-language": "en"})


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_steward_uploads_the_photo_as_on_the_page(world, media):
    answer = upload(world, "hana-autre", "autre", picture())
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"url": "http://testserver/p/autre/photo.jpg"}
    page = browser(world.essai.hana).post(
        "/p/essai/photo/", {"photo": SimpleUploadedFile("lieu.png", picture())}
    )
    assert page.status_code == 302
    sizes = []
    for slug in ("essai", "autre"):
        platform = Platform.objects.get(slug=slug)
        with Image.open(platform.photo.open("rb")) as image:
            sizes.append((image.format, image.size))
        assert SettingChange.objects.filter(platform=platform, field="photo").count() == 1
    assert sizes == [("JPEG", (1600, 800))] * 2
    assert Client().get("/p/autre/photo.jpg").status_code == 200


def test_the_photo_is_the_stewards_of_that_platform(world, media):
    assert upload(world, "carl-essai", "essai", picture()).status_code == 403
    assert upload(world, "hana-autre", "essai", picture()).status_code == 404
    assert upload(world, "hana-essai", "autre", picture()).status_code == 403
    assert not Platform.objects.exclude(photo="").exists()


def test_a_photo_must_be_a_picture(world, media):
    missing = upload(world, "hana-essai", "essai", None)
    assert missing.status_code == 422 and "photo" in message(missing)
    garbage = upload(world, "hana-essai", "essai", b"not a picture at all")
    assert garbage.status_code == 400 and "picture" in message(garbage)
    assert not Platform.objects.exclude(photo="").exists()
    assert not SettingChange.objects.filter(field="photo").exists()


def test_one_lists_and_revokes_ones_own_tokens_as_on_the_page(world):
    listed = call(world, "alice-essai", "get", "/me/tokens")
    assert listed.status_code == 200
    [mine] = listed.json()
    assert world.tokens["alice-essai"].startswith(mine["prefix"])
    token = ApiToken.objects.get(pk=mine["id"])
    assert mine["expires_at"] is not None and token.user.username == "alice-essai"
    # The page lists the same tokens, by the same prefix.
    page = browser(world.essai.alice).get("/me/tokens/").content.decode()
    assert mine["prefix"] in page
    # Revoking through the API ends the token at once, the one in use included.
    assert call(world, "alice-essai", "delete", f"/me/tokens/{mine['id']}").status_code == 204
    assert call(world, "alice-essai", "get", "/me/tokens").status_code == 401
    # Through the page, bob's ends the same way.
    bobs = ApiToken.objects.get(user__username="bob-essai")
    assert browser(world.essai.bob).post(f"/me/tokens/{bobs.pk}/revoke/").status_code == 302
    assert call(world, "bob-essai", "get", "/me/tokens").status_code == 401


def test_another_persons_token_is_not_there_to_revoke(world):
    theirs = ApiToken.objects.get(user__username="alice-autre")
    refused = call(world, "hana-essai", "delete", f"/me/tokens/{theirs.pk}")
    assert refused.status_code == 404
    assert call(world, None, "delete", f"/me/tokens/{theirs.pk}").status_code == 401
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    assert browser(world.essai.hana).post(f"/me/tokens/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_a_token_is_named_by_its_number(world):
    odd = call(world, "hana-essai", "delete", "/me/tokens/0")
    assert odd.status_code == 422 and "token_id" in message(odd)
    word = call(world, "hana-essai", "delete", "/me/tokens/mine")
    assert word.status_code == 422 and "token_id" in message(word)
    assert ApiToken.objects.filter(user__username="hana-essai").exists()

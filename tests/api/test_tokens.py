import hashlib

import pytest

from tests.factories import make_user
from tribu.api.models import ApiToken
from tribu.api.tokens import issue_token, user_for_token
from tribu.core.errors import NotFound


def test_it_stores_only_a_hash_of_the_secret(db):
    user = make_user("zoe")
    secret = issue_token("zoe")
    token = ApiToken.objects.get(user=user)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.digest, token.prefix}
    assert user_for_token(secret) == user


def test_each_call_issues_a_different_token(db):
    make_user("zoe")
    assert issue_token("zoe") != issue_token("zoe")
    assert ApiToken.objects.count() == 2


def test_it_refuses_an_unknown_user(db):
    with pytest.raises(NotFound, match="nobody"):
        issue_token("nobody")


def test_a_deactivated_user_token_stops_working(db):
    user = make_user("zoe")
    secret = issue_token("zoe")
    user.is_active = False
    user.save()
    assert user_for_token(secret) is None


def test_a_wrong_or_empty_secret_authenticates_nobody(db):
    make_user("zoe")
    secret = issue_token("zoe")
    assert user_for_token(secret + "x") is None
    assert user_for_token("") is None


def test_the_api_refuses_a_bad_token_instead_of_treating_it_as_anonymous(world):
    """A visitor may read a public platform, but a wrong token is an error, not a visitor."""
    anonymous = world.client(None).get("/api/platforms/autre")
    assert anonymous.status_code == 200
    bad = world.client(None).get("/api/platforms/autre", headers={"authorization": "Bearer no"})
    assert bad.status_code == 401
    assert bad.json()["status"] == 401
    assert bad["WWW-Authenticate"] == "Bearer"


def test_the_admin_lists_tokens_by_prefix_and_cannot_create_one(db, client):
    admin = make_user("root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    make_user("zoe")
    secret = issue_token("zoe")
    client.force_login(admin)
    listing = client.get("/admin/api/apitoken/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert secret[:10] in text and secret not in text
    assert client.get("/admin/api/apitoken/add/").status_code == 403


def test_a_token_expires_after_the_stated_lifetime(db, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.TRIBU_TOKEN_DAYS = 30
    user = make_user("zoe")
    secret = issue_token("zoe")
    token = ApiToken.objects.get(user=user)
    expected = timezone.now() + timedelta(days=30)
    assert abs(token.expires_at - expected) < timedelta(minutes=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert user_for_token(secret) is None


def test_tribu_token_revoke_ends_a_token(db, capsys):
    from tests.test_cli import cli

    make_user("tess")
    kept, ended = issue_token("tess"), issue_token("tess")
    prefix = ApiToken.objects.get(digest=hashlib.sha256(ended.encode()).hexdigest()).prefix
    code, out, _err = cli(capsys, "token", "tess", "--revoke", prefix)
    assert code == 0 and prefix in out
    assert user_for_token(ended) is None
    assert user_for_token(kept) is not None
    code, _out, err = cli(capsys, "token", "tess", "--revoke", "tribu_none")
    assert code == 2 and "tribu_none" in err


def test_one_lists_and_revokes_ones_own_tokens_on_a_page(db, client):
    zoe, other = make_user("zoe"), make_user("yann")
    secret = issue_token("zoe")
    issue_token("yann")
    mine = ApiToken.objects.get(user=zoe)
    theirs = ApiToken.objects.get(user=other)
    client.force_login(zoe)
    page = client.get("/me/tokens/").content.decode()
    assert mine.prefix in page and theirs.prefix not in page
    assert client.post(f"/me/tokens/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    response = client.post(f"/me/tokens/{mine.pk}/revoke/")
    assert response.status_code == 302
    assert user_for_token(secret) is None
    client.logout()
    assert client.get("/me/tokens/").status_code == 302  # to the login page

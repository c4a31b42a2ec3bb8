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

"""Invitations and claim links: one account, several platforms, one role each; expired,
reused and duplicate invitations get clear words and write nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.factories import make_tribe, make_user
from tribu.agents.models import Agent
from tribu.cli import main
from tribu.core.errors import Conflict, PermissionDenied, TribuError
from tribu.platforms.invitations import accept, invite, invite_many
from tribu.platforms.models import Invitation, Membership, Role

EXAMPLE = "docs/examples/platform.yaml"


def role(user, platform):
    return Membership.objects.get(agent__user=user, platform=platform).role


def test_an_invitation_creates_a_member_with_the_chosen_role(
    tribe, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(
            tribe.platform, tribe.hana, "Zoe@Example.org", name="Zoé", role=Role.RESIDENT
        )
    assert invitation.email == "zoe@example.org"
    assert invitation.token in mailoutbox[0].body
    zoe = make_user("zoe")
    agent = accept(invitation.token, zoe)
    assert agent.name == "Zoé" and role(zoe, tribe.platform) == Role.RESIDENT


def test_a_newcomer_invited_where_vouches_are_required_applies(tribe):
    invitation = invite(tribe.platform, tribe.hana, "new@example.org")
    agent = accept(invitation.token, make_user("new"))
    assert agent.applications.count() == 1


def test_one_account_holds_a_role_in_several_platforms(tribe):
    other = make_tribe("autre")
    zoe = make_user("zoe")
    accept(invite(tribe.platform, tribe.hana, "zoe@example.org", role=Role.RESIDENT).token, zoe)
    accept(invite(other.platform, other.hana, "zoe@example.org", role=Role.GUEST).token, zoe)
    assert role(zoe, tribe.platform) == Role.RESIDENT and role(zoe, other.platform) == Role.GUEST


def test_reused_expired_and_duplicate_invitations_are_refused_in_plain_words(tribe):
    invitation = invite(tribe.platform, tribe.hana, "zoe@example.org", role=Role.GUEST)
    with pytest.raises(Conflict, match="already been invited"):
        invite(tribe.platform, tribe.hana, "zoe@example.org")
    accept(invitation.token, make_user("zoe"))
    with pytest.raises(Conflict, match="already been used"):
        accept(invitation.token, make_user("eve"))
    with pytest.raises(Conflict, match="already belongs"):
        invite(tribe.platform, tribe.hana, "zoe@example.org")
    late = invite(tribe.platform, tribe.hana, "late@example.org")
    Invitation.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(days=1))
    with pytest.raises(Conflict, match="expired"):
        accept(late.token, make_user("late"))
    assert not Agent.objects.filter(user__username__in=["eve", "late"]).exists()


def test_only_stewards_invite(tribe):
    with pytest.raises(PermissionDenied):
        invite(tribe.platform, tribe.alice, "x@example.org")


def test_a_csv_invites_everyone_or_nobody(tribe):
    good = "name,email\nZoé Martin,zoe@example.org\nYann,yann@example.org\n"
    assert len(invite_many(tribe.platform, tribe.hana, good)) == 2
    bad = "Ana,ana@example.org\nBen,not-an-address\n"
    with pytest.raises(TribuError, match="Line 2"):
        invite_many(tribe.platform, tribe.hana, bad)
    assert not Invitation.objects.filter(email="ana@example.org").exists()


def test_the_members_page_invites_and_the_link_lands_the_person(tribe):
    tribe.hana.user = make_user("hana")
    tribe.hana.save()
    steward = Client(headers={"accept-language": "en"})
    steward.force_login(tribe.hana.user)
    assert "/invitations/" in steward.get("/p/essai/roles/").content.decode()
    page = steward.post(
        "/p/essai/invitations/", {"one-email": "zoe@example.org", "one-role": Role.RESIDENT}
    )
    assert page.status_code == 302
    again = steward.post(
        "/p/essai/invitations/", {"one-email": "zoe@example.org", "one-role": "guest"}
    )
    assert "already been invited" in again.content.decode()
    link = Invitation.objects.get().get_absolute_url()
    visitor = Client(headers={"accept-language": "en"})
    assert "Create my account" in visitor.get(link).content.decode()
    visitor.force_login(make_user("zoe"))
    assert visitor.post(link).status_code == 302
    assert "already been used" in visitor.get(link).content.decode()


def test_imported_people_with_an_email_get_claim_links(db, capsys):
    assert main(["--language", "en", "import", EXAMPLE]) == 0
    capsys.readouterr()
    assert main(["--language", "en", "invite", "--platform", "la-fabrique", "--send"]) == 0
    out = capsys.readouterr().out
    lines = [line.split("\t") for line in out.strip().splitlines()]
    assert {line[0] for line in lines} == {"hana", "fanny", "alice", "bob"}
    assert len(mail.outbox) == 4
    alice = make_user("alice-m")
    link = next(line[2] for line in lines if line[0] == "alice")
    agent = accept(link.rsplit("/invite/")[1].strip("/"), alice)
    assert agent.slug == "alice" and role(alice, agent.platform) == Role.RESIDENT


def test_the_api_invites_and_accepts(tribe):
    import json

    from .conftest import api_client

    tribe.hana.user = make_user("hana")
    tribe.hana.save()
    body = json.dumps({"email": "zoe@example.org", "role": "guest"})
    url = "/api/platforms/essai/invitations"
    assert (
        api_client(tribe.hana.user).post(url, body, content_type="application/json").status_code
        == 201
    )
    again = api_client(tribe.hana.user).post(url, body, content_type="application/json")
    assert again.status_code == 409 and "already been invited" in again.json()["message"]
    token = Invitation.objects.get().token
    zoe = make_user("zoe")
    joined = api_client(zoe).post(f"/api/invitations/{token}/accept")
    assert joined.json() == {"platform": "essai", "agent": "zoe", "role": "guest"}


def test_a_csv_uploaded_on_the_page_invites_everyone_in_it(tribe):
    from django.core.files.uploadedfile import SimpleUploadedFile

    tribe.hana.user = make_user("hana")
    tribe.hana.save()
    steward = Client(headers={"accept-language": "en"})
    steward.force_login(tribe.hana.user)
    table = SimpleUploadedFile(
        "people.csv", "nom,email\nZoé,zoe@example.org\nYann,yann@example.org\n".encode()
    )
    page = steward.post("/p/essai/invitations/", {"many-file": table, "many-role": "guest"})
    assert page.status_code == 302
    assert set(Invitation.objects.values_list("email", "role")) == {
        ("zoe@example.org", "guest"),
        ("yann@example.org", "guest"),
    }

"""The living charter: proposals, advice, objections, adoption and every version kept."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction

from tribu.community import services
from tribu.community.models import CharterVersion, Notification, ProposalStatus
from tribu.community.views import charter_diff
from tribu.core.errors import Conflict, PermissionDenied, TribuError

RULES = "1. We tidy the kitchen.\n2. Quiet hours after 22:00."


@pytest.fixture
def proposal(tribe):
    services.start_charter(tribe.platform, RULES, tribe.fanny)
    return services.propose_change(
        tribe.alice, RULES + "\n3. Bikes in the courtyard.", "Bikes block the corridor."
    )


def test_a_proposal_opens_an_advice_period_from_the_platform_setting(tribe, proposal):
    assert proposal.closes_at - proposal.opened_at == timedelta(days=7)
    settings = services.settings_for(tribe.platform)
    settings.advice_days = 3
    settings.save()
    other = services.propose_change(tribe.bob, "Something else entirely", "Simpler")
    assert other.closes_at - other.opened_at == timedelta(days=3)
    assert Notification.objects.filter(kind="charter", recipient=tribe.bob).exists()


def test_a_proposal_without_objection_is_adopted_when_its_period_ends(tribe, proposal):
    services.comment(proposal, tribe.bob, "Good idea")
    assert services.adopt_due(tribe.platform) == []
    [version] = services.adopt_due(tribe.platform, proposal.closes_at + timedelta(minutes=1))
    assert version.number == 2 and "Bikes" in version.text and version.adopted_by is None
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED
    assert list(CharterVersion.objects.values_list("number", flat=True)) == [1, 2]


def test_a_standing_objection_blocks_automatic_adoption_until_withdrawn(tribe, proposal):
    objection = services.comment(proposal, tribe.bob, "Where do cargo bikes go?", objection=True)
    later = proposal.closes_at + timedelta(minutes=1)
    assert services.adopt_due(tribe.platform, later) == []
    with pytest.raises(PermissionDenied):
        services.withdraw_objection(objection, tribe.alice)
    services.withdraw_objection(objection, tribe.bob, "Answered")
    assert len(services.adopt_due(tribe.platform, later)) == 1


def test_the_facilitator_adopts_and_gives_reasons_over_a_standing_objection(tribe, proposal):
    services.comment(proposal, tribe.bob, "No", objection=True)
    with pytest.raises(PermissionDenied):
        services.adopt(proposal, tribe.alice)
    with pytest.raises(TribuError):
        services.adopt(proposal, tribe.fanny)
    version = services.adopt(proposal, tribe.fanny, "Bob's worry is met by rule 3 itself.")
    assert version.adopted_by == tribe.fanny


def test_a_proposal_on_an_outdated_text_is_not_adopted(tribe, proposal):
    other = services.propose_change(tribe.bob, RULES + "\n3. Plants watered on Fridays.", "Plants")
    services.adopt(proposal, tribe.fanny)
    with pytest.raises(Conflict):
        services.adopt(other, tribe.fanny)


def test_comments_close_with_the_proposal(tribe, proposal):
    services.reject(proposal, tribe.fanny, "Not now")
    with pytest.raises(Conflict):
        services.comment(proposal, tribe.bob, "Late")


def test_adopted_versions_cannot_be_rewritten(tribe, proposal):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE community_charterversion SET text = 'forged'")
    assert CharterVersion.objects.get(number=1).text == RULES


def test_the_difference_between_versions_is_escaped():
    html = charter_diff("Rule <b>one</b>", "Rule <script>alert(1)</script>")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_reading_the_charter_never_adopts_a_due_proposal(tribe, proposal, client):
    """A GET changes nothing (web and API alike); the scheduled tick adopts."""
    from django.urls import reverse

    from tribu.api.tokens import issue_token
    from tribu.community.models import CharterProposal
    from tribu.platforms.models import Platform

    Platform.objects.filter(pk=tribe.platform.pk).update(is_public=True)
    past = proposal.opened_at - timedelta(days=1)
    CharterProposal.objects.filter(pk=proposal.pk).update(closes_at=past)
    user = tribe.alice.user or _user_for(tribe.alice)
    client.force_login(user)
    slug = tribe.platform.slug
    for url in (
        reverse("community-charter", args=[slug]),
        reverse("community-charter-proposal", args=[slug, proposal.pk]),
    ):
        assert client.get(url).status_code == 200, url
    api = {"authorization": f"Bearer {issue_token(user.username)}"}
    for url in (f"/api/platforms/{slug}/charter", f"/api/platforms/{slug}/charter/proposals"):
        assert client.get(url, headers=api).status_code == 200, url
    assert CharterVersion.objects.filter(platform=tribe.platform).count() == 1
    assert CharterProposal.objects.get(pk=proposal.pk).status == ProposalStatus.OPEN
    assert services.tick(tribe.platform)["adopted"] == 1


def _user_for(agent):
    from tests.factories import make_user

    user = make_user(agent.slug)
    type(agent).objects.filter(pk=agent.pk).update(user=user)
    agent.refresh_from_db()
    return user

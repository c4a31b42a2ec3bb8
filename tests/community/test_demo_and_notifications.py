"""The demo's community life, notifications by e-mail (immediate or weekly), the tick."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.factories import make_tribe, make_user
from tribu.community import dashboard, demo, services
from tribu.community.models import (
    Application,
    CharterProposal,
    CharterVersion,
    Delivery,
    Match,
    MatchStatus,
    Notification,
)
from tribu.ledger.services import current_status
from tribu.platforms.models import Role
from tribu.platforms.services import add_agent

SENTIER_PEOPLE = ("julien", "claire", "binh", "ines", "youssef", "karim", "chloe", "nadia")


def test_the_demo_extension_gives_le_sentier_a_community_life(db):
    tribe = make_tribe("le-sentier")
    for slug in SENTIER_PEOPLE:
        add_agent(tribe.platform, slug=slug, name=slug.capitalize(), role=Role.RESIDENT)
    demo.extend({"le-sentier": tribe.platform}, log=lambda message: None)
    assert list(CharterVersion.objects.values_list("number", flat=True)) == [1, 2]
    open_proposal = CharterProposal.objects.get(status="open")
    assert services.standing_objections(open_proposal).count() == 1
    newcomer = Application.objects.get(status="open")
    assert newcomer.vouches.count() == 1 < tribe.platform.vouches_required
    helped = Match.objects.filter(status=MatchStatus.HELPED)
    assert sorted(current_status(m.event) for m in helped) == ["confirmed", "proposed"]
    [outcome] = dashboard.introduction_outcomes(tribe.platform)
    assert outcome["events"] == 1


@pytest.fixture
def people(db):
    tribe = make_tribe("essai", users=True)
    return tribe


def test_immediate_readers_get_one_e_mail_per_notification(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([people.alice], "match", "A match for you", "/x/")
    assert [m.to for m in mail.outbox] == [[people.alice.user.email]]
    assert Notification.objects.get(recipient=people.alice).emailed_at is not None


def test_weekly_readers_get_a_digest_once_a_week(people, django_capture_on_commit_callbacks):
    services.set_delivery(people.bob, Delivery.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([people.bob], "match", "First", "")
        services.notify([people.bob], "charter", "Second", "")
    assert mail.outbox == []
    assert services.send_digests(people.platform) == 1
    assert "First" in mail.outbox[0].body and "Second" in mail.outbox[0].body
    services.notify([people.bob], "match", "Third", "")
    assert services.send_digests(people.platform) == 0  # the week is not over
    later = timezone.now() + timedelta(days=7, minutes=1)
    assert services.send_digests(people.platform, later) == 1
    assert "Third" in mail.outbox[1].body and "First" not in mail.outbox[1].body


def test_the_unread_count_shows_in_the_navigation(people, client):
    services.notify([people.alice], "match", "Hello", "")
    client.force_login(people.alice.user)
    body = client.get(f"/p/{people.platform.slug}/intents/").content.decode()
    assert 'class="badge unread"' in body
    services.mark_read(people.alice)
    body = client.get(f"/p/{people.platform.slug}/intents/").content.decode()
    assert 'class="badge unread"' not in body


def test_the_tick_command_ends_trials_and_adopts_due_proposals(people):
    application = services.apply(people.platform, make_user("nina"), name="Nina", statement="Hi")
    services.start_charter(people.platform, "Rule one", people.fanny)
    proposal = services.propose_change(
        people.alice, "Rule two", "Better", now=timezone.now() - timedelta(days=8)
    )
    Application.objects.filter(pk=application.pk).update(
        trial_ends_at=timezone.now() - timedelta(minutes=1)
    )
    call_command("community_tick")
    application.refresh_from_db()
    proposal.refresh_from_db()
    assert application.status == "ended" and proposal.status == "adopted"


def test_confirmations_to_give_list_what_waits_for_the_counterparty(people):
    from tests.factories import record

    event = record(people, people.alice, "volunteer-hour", people.alice, people.bob, 1)
    assert services.confirmations_to_give(people.bob) == [event]
    assert services.confirmations_to_give(people.alice) == []
    for_host = record(people, people.alice, "volunteer-hour", people.alice, people.host, 1)
    assert services.confirmations_to_give(people.hana) == [for_host]

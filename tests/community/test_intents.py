"""Needs and offers: matching with its reasons, "this helped me" into the ledger."""

from datetime import date
from decimal import Decimal

import pytest

from tribu.community import matching, services
from tribu.community.models import IntentStatus, Match, MatchStatus, Notification
from tribu.core.errors import Conflict, PermissionDenied
from tribu.ledger.services import confirm_event, counterparty_of, current_status
from tribu.reports.aggregates import Period
from tribu.reports.balance import agent_balance


def doc(key, owner, text, tags=()):
    return matching.Doc(key, owner, text, frozenset(tags))


def test_matching_ranks_shared_tags_and_words_and_says_why():
    needs = [doc(1, 10, "Help writing a grant application for funding", ["funding", "writing"])]
    offers = [
        doc(2, 20, "I write grant applications", ["writing", "funding"]),
        doc(3, 30, "Bike repairs in the courtyard", ["bikes"]),
    ]
    found = matching.suggest(needs, offers)
    assert [(s.need, s.offer) for s in found] == [(1, 2)]
    assert found[0].shared_tags == ("funding", "writing")
    assert "grant" in found[0].shared_words


def test_matching_folds_accents_and_plurals():
    assert matching.tokens("Financements équipés") == ["financement", "equipe"]


def test_matching_never_pairs_someone_with_themselves():
    assert (
        matching.suggest(
            [doc(1, 10, "python help", ["python"])], [doc(2, 10, "python help", ["python"])]
        )
        == []
    )


@pytest.fixture
def matched(tribe):
    need = services.post_intent(
        tribe.alice, kind="need", title="Help with Python tests", tags="python, testing"
    )
    offer = services.post_intent(
        tribe.bob, kind="offer", title="I can pair on Python", tags="python"
    )
    return Match.objects.get(need=need, offer=offer)


def test_a_suggestion_goes_to_both_sides_and_the_facilitator(tribe, matched):
    told = set(Notification.objects.filter(kind="match").values_list("recipient__slug", flat=True))
    assert told == {"alice", "bob", "fanny"}
    assert "python" in matched.reason


def test_this_helped_me_proposes_a_flow_the_offerer_confirms(tribe, matched):
    event = services.mark_helped(matched, tribe.alice, hours=Decimal("2"))
    matched.refresh_from_db()
    assert matched.status == MatchStatus.HELPED and matched.event_id == event.pk
    assert matched.need.status == IntentStatus.FULFILLED
    assert (event.action, event.provider, event.receiver) == (
        "deliverService",
        tribe.bob,
        tribe.alice,
    )
    assert event.resource_conforms_to.slug == "volunteer-hour"
    assert counterparty_of(event) == tribe.bob
    assert Notification.objects.filter(recipient=tribe.bob, kind="confirmation").exists()
    with pytest.raises(PermissionDenied):
        confirm_event(event, tribe.alice)
    confirm_event(event, tribe.bob)
    assert current_status(event) == "confirmed"
    assert received_hours(tribe, tribe.alice, event.occurred_on) == "2"


def received_hours(tribe, agent, day):
    """Volunteer hours in `agent`'s balance sheet for the month of `day`."""
    start = day.replace(day=1)
    period = Period(start, date(start.year + start.month // 12, start.month % 12 + 1, 1))
    balance = agent_balance(tribe.platform, agent, period, draws=100)
    lines = balance["tiers"]["non_market"]["benefits"]["lines"]
    return next((line["quantity"] for line in lines if line["key"] == "volunteer-hour"), None)


def test_an_unconfirmed_flow_is_not_in_the_balance_sheet(tribe, matched):
    event = services.mark_helped(matched, tribe.alice, hours=3)
    assert received_hours(tribe, tribe.alice, event.occurred_on) is None


def test_when_the_offerer_records_it_the_receiver_confirms(tribe, matched):
    event = services.mark_helped(matched, tribe.bob, hours=1)
    assert counterparty_of(event) == tribe.alice


def test_only_the_two_sides_say_a_match_helped_and_only_once(tribe, matched):
    with pytest.raises(PermissionDenied):
        services.mark_helped(matched, tribe.hana, hours=1)
    services.mark_helped(matched, tribe.alice, hours=1)
    with pytest.raises(Conflict):
        services.mark_helped(matched, tribe.bob, hours=1)


def test_a_dismissed_suggestion_is_not_suggested_again(tribe, matched):
    services.dismiss_match(matched, tribe.alice)
    services.post_intent(tribe.hana, kind="offer", title="Gardening", tags="plants")
    assert Match.objects.filter(need=matched.need, offer=matched.offer).get().status == (
        MatchStatus.DISMISSED
    )

"""Statistical secrecy inside one document: no amount that one or two members stand behind."""

import random
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import make_user
from tests.observatory.conftest import give as _give
from tribu.observatory import documents, synthetic
from tribu.observatory.indicators import indicators
from tribu.observatory.signing import Signer
from tribu.reports.aggregates import Period
from tribu.reports.balance import agent_balance

PEER = Signer(bytes(range(32)))


@pytest.fixture
def kinds(year_of_flows):
    tribe = year_of_flows
    # day-pass: three residents, balanced; hotel-night: Alice alone (from the fixture);
    # volunteer-hour: three people, one of whom gives 90 %.
    _give(tribe, "day-pass", [(tribe.alice, 10), (tribe.bob, 10), (tribe.fanny, 10)])
    _give(tribe, "volunteer-hour", [(tribe.alice, 320), (tribe.fanny, 0.5)])
    return tribe


def test_a_kind_one_resident_supplied_is_withheld(kinds):
    doc = indicators(kinds.platform, 2025, draws=200)
    assert doc["economics"]["non_market_value"]["hotel-night"] is None
    withheld = doc["quality"]["withheld"]
    assert withheld["economics.non_market_value.hotel-night"] == "frequency"


def test_a_kind_where_one_provider_gives_90_percent_is_withheld(kinds):
    doc = indicators(kinds.platform, 2025, draws=200)
    # Bob 40 h, Alice 320 h, Fanny 0.5 h: three people, Alice above 85 %.
    assert doc["economics"]["non_market_value"]["volunteer-hour"] is None
    assert doc["activity"]["volunteers"] == 3 and doc["activity"]["volunteer_hours"] is None
    withheld = doc["quality"]["withheld"]
    assert withheld["economics.non_market_value.volunteer-hour"] == "dominance"
    assert withheld["activity.volunteer_hours"] == "dominance"


def test_a_kind_three_balanced_providers_supplied_is_published(balanced):
    doc = indicators(balanced.platform, 2025, draws=200)
    values = doc["economics"]["non_market_value"]
    assert set(values) == {"day-pass", "hotel-night", "volunteer-hour"}
    assert all(value > 0 for value in values.values())
    assert doc["activity"]["volunteer_hours"] == 120
    assert doc["quality"]["withheld"] == {}


def test_a_lone_withheld_kind_takes_the_smallest_published_one_with_it(year_of_flows):
    """With one kind withheld, benefits − revenue − the published kinds would give it away."""
    tribe = year_of_flows
    _give(tribe, "volunteer-hour", [(tribe.alice, 40), (tribe.fanny, 40)])
    _give(tribe, "day-pass", [(tribe.alice, 10), (tribe.bob, 10), (tribe.fanny, 10)])
    doc = indicators(tribe.platform, 2025, draws=200)
    values, withheld = doc["economics"]["non_market_value"], doc["quality"]["withheld"]
    assert withheld["economics.non_market_value.hotel-night"] == "frequency"
    smallest = min(("day-pass", "volunteer-hour"), key=lambda k: _central(tribe, k))
    assert withheld[f"economics.non_market_value.{smallest}"] == "complement"
    assert values["hotel-night"] is None and values[smallest] is None


def test_when_all_the_benefits_come_from_two_people_no_total_gives_them_away(year_of_flows):
    """Alice's nights and Bob's hours: extended benefits − market revenue, or the ratio
    times the costs, would be their two amounts."""
    doc = indicators(year_of_flows.platform, 2025, draws=200)
    economics, withheld = doc["economics"], doc["quality"]["withheld"]
    for name in ("extended_benefits", "ratio", "ratio_p50", "p_ratio_above_1"):
        assert economics[name] is None and withheld[f"economics.{name}"] == "complement"
    assert economics["extended_costs"] == 24000 and economics["market_costs"] == 24000
    item = PEER.envelope(
        synthetic.document(PEER.fingerprint, 1, 2025, random.Random(1), name="Lieu") | doc
    )
    documents.check(item, PEER.public_key)


def _central(tribe, kind):
    """The kind's central value as the host's balance sheet gives it."""
    sheet = agent_balance(tribe.platform, tribe.host, Period(date(2025, 1, 1), date(2026, 1, 1)))
    lines = sheet["tiers"]["non_market"]["benefits"]["lines"]
    return next(line["value"]["central"] for line in lines if line["key"] == kind)


def test_the_document_verifies_and_passes_the_pull_checks(kinds):
    doc = synthetic.document(PEER.fingerprint, 1, 2025, random.Random(1), name="Lieu")
    doc.update(indicators(kinds.platform, 2025, draws=200))
    checked, _body = documents.check(PEER.envelope(doc), PEER.public_key)
    assert checked["quality"]["withheld"]
    # A document from an instance that does not know the field yet is still accepted.
    del doc["quality"]["withheld"]
    documents.check(PEER.envelope(doc), PEER.public_key)


@pytest.mark.parametrize("reason", ["secret", 3, None])
def test_a_withheld_field_with_an_unknown_reason_is_refused(kinds, reason):
    doc = synthetic.document(PEER.fingerprint, 1, 2025, random.Random(1), name="Lieu")
    doc.update(indicators(kinds.platform, 2025, draws=200))
    doc["quality"]["withheld"]["economics.market_revenue"] = reason
    with pytest.raises(documents.Refused, match="withheld"):
        documents.check(PEER.envelope(doc), PEER.public_key)


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "withheld: fewer than 3 people gave it"), ("fr", "non publié : moins de 3 personnes")],
)
def test_the_preview_says_withheld_in_words(kinds, client, language, words):
    user = make_user("hana-obs")
    kinds.hana.user = user
    kinds.hana.save()
    client.force_login(user)
    url = reverse("observatory-publication", args=[kinds.platform.slug]) + "?year=2025"
    with translation.override(language):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert words in page
    assert "<code>hotel-night</code> None" not in page

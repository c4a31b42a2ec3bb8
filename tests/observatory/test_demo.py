"""The demo publishes its two platforms and carries illustrative peers, never mixed with real."""

import pytest

from tests.observatory.test_figures import doc
from tribu.demo.build import build_demo
from tribu.observatory import figures
from tribu.observatory.demo import PEERS, illustrative_peers
from tribu.observatory.models import Document


@pytest.mark.django_db
def test_the_demo_publishes_and_shows_a_grown_illustrative_network(client):
    build_demo(log=lambda message: None)
    ours = Document.objects.filter(subscription=None)
    assert {d.platform.slug for d in ours} == {"le-sentier", "open-residence"}
    sentier = ours.get(platform__slug="le-sentier")
    assert (sentier.cause_category, sentier.commune_code) == ("future_of_work", "75102")
    assert Document.objects.count() == 2 + 2 * PEERS
    assert not Document.objects.filter(illustrative=False).exists()
    assert illustrative_peers() == 0  # a second run adds nothing
    found = figures.answer()
    assert found.illustrative and found.platforms == 2 + PEERS
    page = client.get("/observatory/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "illustrative" in page and "<svg" in page
    # One real document and the answer is the real set alone.
    doc("real")
    assert not figures.answer().illustrative and figures.answer().platforms == 1

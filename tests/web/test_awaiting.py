"""The header's count of flows to confirm, kept in the cache, follows who represents whom."""

from django.core.cache import cache
from django.urls import reverse

from tribu.platforms.services import represent

from .conftest import login


def badge(client) -> str:
    return client.get(reverse("home")).content.decode()


def test_someone_made_a_representative_sees_the_flows_to_confirm_at_once(client, web_tribe):
    """bob gave the host day passes: hana, who acts for the host, confirms them. alice
    does not, until she is made a representative of the host."""
    cache.clear()
    login(client, web_tribe.alice)
    assert "flux à confirmer" not in badge(client)
    represent(web_tribe.host, web_tribe.alice)
    assert "1 flux à confirmer" in badge(client)
    web_tribe.host.representatives.remove(web_tribe.alice)
    assert "flux à confirmer" not in badge(client)


def test_the_count_changes_when_the_recorder_is_made_a_representative(client, web_tribe):
    """Who must confirm depends on whom the recorder acts for: bob, made a representative
    of the host, recorded the flow for the host; the host's side no longer confirms it."""
    cache.clear()
    login(client, web_tribe.hana)
    assert "1 flux à confirmer" in badge(client)
    represent(web_tribe.host, web_tribe.bob)
    assert "flux à confirmer" not in badge(client)
